import t from 'tap';
import { deriveHardship, individualCategories, isLongTermUnemployed, type HardshipHousehold, type HardshipMember } from '../src/hardship.ts';

const AT = new Date('2026-06-15T00:00:00Z');

function member(id: string, over: Partial<HardshipMember> = {}): HardshipMember {
  const gender = over.gender ?? 'male';
  return {
    id,
    relationship: null,
    gender,
    retirementScheme: gender === 'male' ? 'male-60' : 'female-55',
    birthDate: '1990-01-01',
    status: 'unemployed',
    ableToWork: true,
    willingToWork: true,
    laidOff: false,
    minimumLivelihood: false,
    disabled: false,
    unemployedSince: null,
    ...over,
  };
}
const household = (over: Partial<HardshipHousehold> = {}): HardshipHousehold => ({ singleParent: false, minorChildren: 0, otherEmployedMembers: 0, ...over });

t.test('OLDER_4050: women from 40, men from 50, on the birthday', async (t) => {
  t.same(individualCategories(member('a', { gender: 'female', birthDate: '1986-06-15' }), AT), ['OLDER_4050'], 'woman turning 40 today');
  t.same(individualCategories(member('a', { gender: 'female', birthDate: '1986-06-16' }), AT), [], 'woman 40 tomorrow');
  t.same(individualCategories(member('a', { gender: 'male', birthDate: '1986-06-15' }), AT), [], 'man of 40');
  t.same(individualCategories(member('a', { gender: 'male', birthDate: '1976-06-15' }), AT), ['OLDER_4050'], 'man turning 50 today');
  t.same(individualCategories(member('a', { gender: 'male', birthDate: '1976-06-15', status: 'employed' }), AT), ['OLDER_4050'], 'kept when employed (the 4050 re-employment rate counts them)');
  t.same(individualCategories(member('a', { gender: 'male', birthDate: '1956-06-15' }), AT), [], 'a man of 70 has retired');
  t.same(individualCategories(member('a', { gender: 'female', retirementScheme: 'female-50', birthDate: '1968-06-15' }), AT), [], 'a woman worker of 58 has retired');
});

t.test('MINIMUM_LIVELIHOOD and DISABLED come from the flags', async (t) => {
  t.same(individualCategories(member('a', { minimumLivelihood: true, disabled: true }), AT), ['MINIMUM_LIVELIHOOD', 'DISABLED']);
});

t.test('LONG_TERM_UNEMPLOYED: unemployed 12 months or more', async (t) => {
  t.ok(isLongTermUnemployed({ status: 'unemployed', unemployedSince: '2025-06-15' }, '2026-06-15'), 'exactly 12 months');
  t.notOk(isLongTermUnemployed({ status: 'unemployed', unemployedSince: '2025-06-16' }, '2026-06-15'), 'a day short');
  t.ok(isLongTermUnemployed({ status: 'unemployed', unemployedSince: '2024-02-29' }, '2025-02-28'), 'from 29 February: the last day of February a year on');
  t.notOk(isLongTermUnemployed({ status: 'unemployed', unemployedSince: '2024-02-29' }, '2025-02-27'));
  t.notOk(isLongTermUnemployed({ status: 'employed', unemployedSince: '2020-01-01' }, '2026-06-15'), 'not while employed');
  t.notOk(isLongTermUnemployed({ status: 'unemployed', unemployedSince: null }, '2026-06-15'), 'no date, no category');
  t.same(individualCategories(member('a', { unemployedSince: '2024-01-01' }), AT), ['LONG_TERM_UNEMPLOYED']);
});

t.test('DUAL_UNEMPLOYED: both spouses registered unemployed', async (t) => {
  const head = member('h', { relationship: 'head' });
  const spouse = member('s', { relationship: 'spouse', gender: 'female' });
  const both = deriveHardship(household({ otherEmployedMembers: 1 }), [head, spouse], AT);
  t.same(both.household, ['DUAL_UNEMPLOYED']);
  t.same(both.members, { h: ['DUAL_UNEMPLOYED'], s: ['DUAL_UNEMPLOYED'] });
  const reemployed = deriveHardship(household({ otherEmployedMembers: 1 }), [head, { ...spouse, status: 'employed' }], AT);
  t.same(reemployed.household, [], 'one re-employed spouse ends it for the whole household');
  t.same(reemployed.members.h, []);
  const alone = deriveHardship(household({ otherEmployedMembers: 1 }), [head], AT);
  t.same(alone.household, [], 'a head without a spouse is not dual');
  const child = deriveHardship(household({ otherEmployedMembers: 1 }), [head, member('c', { relationship: 'child' })], AT);
  t.same(child.household, [], 'a head and a child are not spouses');
});

t.test('DUAL_LAID_OFF: both laid off and neither re-employed', async (t) => {
  const head = member('h', { relationship: 'head', laidOff: true });
  const spouse = member('s', { relationship: 'spouse', gender: 'female', laidOff: true });
  t.same(deriveHardship(household({ otherEmployedMembers: 1 }), [head, spouse], AT).household, ['DUAL_UNEMPLOYED', 'DUAL_LAID_OFF']);
  t.same(deriveHardship(household({ otherEmployedMembers: 1 }), [head, { ...spouse, laidOff: false }], AT).household, ['DUAL_UNEMPLOYED'], 'one not laid off');
  t.same(deriveHardship(household({ otherEmployedMembers: 1 }), [head, { ...spouse, status: 'flexible' }], AT).household, [], 'flexible work is re-employment');
});

t.test('SINGLE_PARENT: single parent with a minor child, unemployed', async (t) => {
  const head = member('h', { relationship: 'head', gender: 'female' });
  const hh = household({ singleParent: true, minorChildren: 1, otherEmployedMembers: 1 });
  const r = deriveHardship(hh, [head], AT);
  t.same(r.household, ['SINGLE_PARENT']);
  t.same(r.members.h, ['SINGLE_PARENT']);
  t.same(deriveHardship({ ...hh, minorChildren: 0 }, [head], AT).household, [], 'no minor child');
  t.same(deriveHardship({ ...hh, singleParent: false }, [head], AT).household, [], 'not a single parent');
  t.same(deriveHardship(hh, [{ ...head, status: 'employed' }], AT).household, [], 'employed parent');
});

t.test('ZERO_EMPLOYMENT_HOUSEHOLD: working-age members able and willing, none employed', async (t) => {
  const a = member('a', { relationship: 'head' });
  const b = member('b', { relationship: 'child', birthDate: '2005-01-01' });
  const r = deriveHardship(household(), [a, b], AT);
  t.same(r.household, ['ZERO_EMPLOYMENT_HOUSEHOLD']);
  t.same(r.members, { a: ['ZERO_EMPLOYMENT_HOUSEHOLD'], b: ['ZERO_EMPLOYMENT_HOUSEHOLD'] }, 'every member carries it');
  t.same(deriveHardship(household(), [a, { ...b, status: 'employed' }], AT).household, [], 'a member employed');
  t.same(deriveHardship(household(), [a, { ...b, status: 'flexible' }], AT).household, [], 'a member in flexible work');
  t.same(deriveHardship(household({ otherEmployedMembers: 1 }), [a], AT).household, [], 'another working member who is not a seeker');
  t.same(deriveHardship(household(), [{ ...a, ableToWork: false }], AT).household, [], 'nobody able to work');
  t.same(deriveHardship(household(), [{ ...a, willingToWork: false }], AT).household, [], 'nobody willing to work');
  t.same(deriveHardship(household(), [{ ...a, birthDate: '1960-01-01' }], AT).household, [], 'nobody of working age (a man of 66)');
  // Born 1966-03-10: 60 years and 5 months, retiring on 2026-08-10 (the reform); before it, a man of 60 could work.
  t.same(deriveHardship(household(), [{ ...a, birthDate: '1966-03-10' }], AT).household, ['ZERO_EMPLOYMENT_HOUSEHOLD'], 'a man of 60 before his retirement date');
  t.same(deriveHardship(household(), [{ ...a, birthDate: '1966-03-10' }], new Date('2026-08-09T16:00:00Z')).household, [], 'from his retirement date (00:00 in the city)');
  const worker = member('w', { relationship: 'head', gender: 'female', retirementScheme: 'female-50', birthDate: '1976-03-01' });
  // Born 1976-03-01 under female-50: 50 years and 8 months, retiring on 2026-11-01.
  t.same(deriveHardship(household(), [worker], AT).household, ['ZERO_EMPLOYMENT_HOUSEHOLD'], 'a woman worker of 50 before her retirement date');
  t.same(deriveHardship(household(), [worker], new Date('2026-10-31T16:00:00Z')).household, [], 'from her retirement date');

  t.same(deriveHardship(household(), [{ ...a, status: 'withdrawn' }], AT).household, [], 'a withdrawn member is not looking for work');
  t.same(deriveHardship(household(), [], AT).household, [], 'an empty household');
});

t.test('MINIMUM_LIVELIHOOD marks the household; individual categories stay with the person', async (t) => {
  const r = deriveHardship(household({ otherEmployedMembers: 1 }), [member('a', { minimumLivelihood: true }), member('b', { disabled: true })], AT);
  t.same(r.household, ['MINIMUM_LIVELIHOOD']);
  t.same(r.members, { a: ['MINIMUM_LIVELIHOOD'], b: ['DISABLED'] });
});

t.test('three generations: every couple of the household, each with what it rests on', async (t) => {
  // The head (working) and his wife; their son and his wife, both out of work; a grandchild of 17.
  const head = member('h', { relationship: 'head', birthDate: '1962-03-03', status: 'employed' });
  const wife = member('w', { relationship: 'spouse', gender: 'female', birthDate: '1974-04-04' });
  const son = member('s', { relationship: 'child', spouseId: 'd', laidOff: true });
  const daughterInLaw = member('d', { relationship: 'child-in-law', gender: 'female', spouseId: 's', laidOff: true });
  const r = deriveHardship(household(), [head, wife, son, daughterInLaw], AT);
  t.same(r.household, ['DUAL_UNEMPLOYED', 'DUAL_LAID_OFF']);
  t.same(r.members.s, ['DUAL_UNEMPLOYED', 'DUAL_LAID_OFF']);
  t.same(r.members.d, ['DUAL_UNEMPLOYED', 'DUAL_LAID_OFF']);
  t.same(r.members.w, ['OLDER_4050'], 'the working head keeps his own couple out of it');
  t.same(r.basis, [
    { category: 'DUAL_UNEMPLOYED', memberIds: ['d', 's'] },
    { category: 'DUAL_LAID_OFF', memberIds: ['d', 's'] },
  ]);
  const both = deriveHardship(household(), [{ ...head, status: 'unemployed' }, wife, son, daughterInLaw], AT);
  t.same(
    both.basis.filter((b) => b.category === 'DUAL_UNEMPLOYED').map((b) => b.memberIds),
    [['d', 's'], ['h', 'w']],
    'the head and the spouse (who name no spouse) are a couple beside the linked one',
  );
  const linked = deriveHardship(household({ otherEmployedMembers: 1 }), [{ ...head, status: 'unemployed', spouseId: 'w' }, { ...wife, spouseId: 'h' }], AT);
  t.same(linked.basis, [{ category: 'DUAL_UNEMPLOYED', memberIds: ['h', 'w'] }], 'linked once, counted once');
  const reversed = deriveHardship(household(), [daughterInLaw, son, wife, { ...head, status: 'unemployed' }], AT);
  t.same(reversed.basis, both.basis, 'the same basis whatever order the members are read in (a stored basis does not churn)');
  const elsewhere = deriveHardship(household({ otherEmployedMembers: 1 }), [member('a', { spouseId: 'gone' }), member('b')], AT);
  t.same(elsewhere.household, [], 'a spouse who is not a member makes no couple');
});

t.test('SINGLE_PARENT: any member raising a minor child alone, not only the head', async (t) => {
  // A single mother recorded as the head's daughter, with a child of 5 who is no job seeker.
  const head = member('h', { relationship: 'head', birthDate: '1970-01-01', status: 'employed' });
  const daughter = member('m', { relationship: 'child', gender: 'female', raisingAlone: true, ownMinorChildren: 1 });
  const r = deriveHardship(household(), [head, daughter], AT);
  t.same(r.members.m, ['SINGLE_PARENT']);
  t.same(r.members.h, ['OLDER_4050'], 'not the head');
  t.same(r.basis, [{ category: 'SINGLE_PARENT', memberIds: ['m'] }]);
  t.same(deriveHardship(household(), [head, { ...daughter, ownMinorChildren: 0 }], AT).household, [], 'no minor child of her own');
  t.same(deriveHardship(household(), [head, { ...daughter, raisingAlone: false }], AT).household, [], 'not raising them alone');
  t.same(deriveHardship(household(), [head, { ...daughter, status: 'employed' }], AT).household, [], 'at work');
  const married = deriveHardship(household(), [head, { ...daughter, spouseId: 'x' }, member('x', { spouseId: 'm', status: 'employed' })], AT);
  t.same(married.household, [], 'a spouse in the household: not a single parent');
  // A registered child of 17 naming her as parent is her minor child; at 18 no longer.
  const registered = (birthDate: string) => member('c', { relationship: 'grandchild', birthDate, parentIds: ['m'], status: 'employed' });
  t.same(deriveHardship(household(), [head, { ...daughter, ownMinorChildren: 0 }, registered('2008-06-16')], AT).members.m, ['SINGLE_PARENT'], 'a child of 17');
  t.same(deriveHardship(household(), [head, { ...daughter, ownMinorChildren: 0 }, registered('2008-06-15')], AT).members.m, [], 'a child of 18 today');
});

t.test('MINIMUM_LIVELIHOOD of a certified household: every member holds it', async (t) => {
  const members = [member('a', { relationship: 'head' }), member('b', { relationship: 'child' })];
  const r = deriveHardship(household({ otherEmployedMembers: 1, minimumLivelihood: true }), members, AT);
  t.same(r.household, ['MINIMUM_LIVELIHOOD']);
  t.same(r.members, { a: ['MINIMUM_LIVELIHOOD'], b: ['MINIMUM_LIVELIHOOD'] });
  t.same(r.basis, [{ category: 'MINIMUM_LIVELIHOOD', memberIds: ['a', 'b'] }]);
  const flagged = deriveHardship(household({ otherEmployedMembers: 1 }), [member('a', { minimumLivelihood: true }), member('b')], AT);
  t.same(flagged.members, { a: ['MINIMUM_LIVELIHOOD'], b: [] }, 'without a certificate, the person flagged alone');
  t.same(flagged.basis, [{ category: 'MINIMUM_LIVELIHOOD', memberIds: ['a'] }]);
});

t.test('without a household only individual categories apply', async (t) => {
  const r = deriveHardship(null, [member('a', { gender: 'female', birthDate: '1980-01-01', unemployedSince: '2020-01-01' })], AT);
  t.same(r, { household: [], members: { a: ['OLDER_4050', 'LONG_TERM_UNEMPLOYED'] }, basis: [] });
});
