import t from 'tap';
import { ageAt, cityDate, parseIdNumber, retirementDate, RETIREMENT_SCHEDULE, RETIREMENT_SCHEMES } from '@reemploy/domain';
import { parseCreditCode } from '@reemploy/domain/credit-code';
import { isOccupationCode, isSkillCode } from '@reemploy/taxonomy';
import { createDemoCity, Random, suzhouCommunities, SUZHOU_DISTRICTS, type DemoHousehold } from '../src/index.ts';

const city = createDemoCity({ seed: 'test', seekers: 6000 });
const households: DemoHousehold[] = [...city.households()];
const seekers = households.flatMap((h) => h.members);
const vacancies = [...city.vacancies()];
const share = (n: number, of: number) => n / of;

t.test('the communities are the real Suzhou ones', async (t) => {
  const communities = suzhouCommunities();
  t.ok(communities.length > 2000, `${communities.length} communities`);
  t.ok(communities.every((c) => /^3205\d{8}$/.test(c.code) && c.code.startsWith(c.streetCode) && c.streetCode.startsWith(c.districtCode)));
  t.same(new Set(communities.map((c) => c.districtCode)), new Set(Object.keys(SUZHOU_DISTRICTS)));
  t.ok(communities.some((c) => c.code === '320508024043'), '龙港苑社区 is there');
  const codes = new Set(communities.map((c) => c.code));
  t.ok(seekers.every((s) => codes.has(s.registration.communityCode)) && vacancies.every((v) => codes.has(v.registration.communityCode)));
});

t.test('the same seed gives the same city; another seed another one', async (t) => {
  const again = createDemoCity({ seed: 'test', seekers: 6000 });
  t.same([...again.households()].slice(0, 200), households.slice(0, 200));
  t.same(again.vacancy(123), vacancies[123]);
  t.same(again.employer(77), city.employer(77));
  t.same(city.household(42), households[42], 'any household can be generated on its own');
  const other = createDemoCity({ seed: 'other', seekers: 6000 });
  t.not(JSON.stringify(other.household(0)), JSON.stringify(households[0]));
});

t.test('sizes: exactly the seekers asked for, half as many vacancies by default', async (t) => {
  t.equal(seekers.length, 6000);
  t.equal(vacancies.length, 3000);
  t.equal([...city.employers()].length, city.size.employers);
  t.equal(new Set(seekers.map((s) => s.key)).size, seekers.length, 'distinct seeker ids');
  t.equal(new Set(vacancies.map((v) => v.key)).size, vacancies.length, 'distinct vacancy ids');
});

t.test('identity numbers are valid, distinct and agree with age and gender', async (t) => {
  const ids = new Set<string>();
  let bad = 0;
  for (const s of seekers) {
    const parsed = parseIdNumber(s.registration.idNumber, city.at);
    if (!parsed.ok || parsed.gender !== s.gender || parsed.birthDate !== s.birthDate || ageAt(s.birthDate, cityDate(city.at)) !== s.engine.age) bad++;
    ids.add(s.registration.idNumber);
  }
  t.equal(bad, 0);
  t.equal(ids.size, seekers.length);
  t.ok(seekers.every((s) => s.registration.phone === undefined || /^1[3-9]\d{9}$/.test(s.registration.phone)));
});

t.test('seekers look like the registered unemployed: older, about a third in the 4050 group', async (t) => {
  const older = share(seekers.filter((s) => s.engine.hardshipCategories.includes('OLDER_4050')).length, seekers.length);
  t.ok(older > 0.3 && older < 0.46, `4050 share ${older.toFixed(3)}`);
  const ages = seekers.map((s) => s.engine.age).sort((a, b) => a - b);
  t.ok(ages[ages.length >> 1]! >= 38, `median age ${ages[ages.length >> 1]}`);
  t.ok(ages[0]! >= 16 && ages.at(-1)! <= 62);
  const levels = new Set(seekers.map((s) => s.engine.education));
  t.ok(levels.size >= 6, 'schooling varies');
  const primaryOrLess = share(seekers.filter((s) => ['none', 'primary', 'junior-secondary'].includes(s.engine.education)).length, seekers.length);
  t.ok(primaryOrLess > 0.25 && primaryOrLess < 0.6, `junior-secondary or less ${primaryOrLess.toFixed(2)}`);
});

t.test('each retirement scheme has people on both sides of its retirement date, and the reform shows', async (t) => {
  const today = cityDate(city.at);
  for (const scheme of RETIREMENT_SCHEMES) {
    const people = seekers.filter((s) => s.retirementScheme === scheme);
    const retired = people.filter((s) => retirementDate(scheme, s.birthDate) <= today);
    // Past the age the scheme retired at before 2025, still of working age by the reform's delay.
    const delayed = people.filter((s) => s.engine.age >= RETIREMENT_SCHEDULE.schemes[scheme].originalAge && retirementDate(scheme, s.birthDate) > today);
    t.ok(retired.length >= 3 && delayed.length >= 3, `${scheme}: ${retired.length} retired, ${delayed.length} delayed`);
    t.ok(retired.every((s) => !s.engine.hardshipCategories.includes('OLDER_4050')), `${scheme}: the retired are not 4050`);
    t.ok(delayed.every((s) => s.engine.hardshipCategories.includes('OLDER_4050')), `${scheme}: the delayed still are`);
  }
  const women = seekers.filter((s) => s.gender === 'female');
  t.ok(women.every((s) => s.registration.retirementScheme === s.retirementScheme), "a woman's scheme is in her registration");
});

t.test('households: couples, single parents and zero-employment households, categories derived', async (t) => {
  const kinds = new Map<string, number>();
  for (const h of households) kinds.set(h.kind, (kinds.get(h.kind) ?? 0) + 1);
  t.equal(kinds.size, 7);
  const couples = households.filter((h) => h.members.some((m) => m.registration.relationship === 'spouse'));
  t.ok(couples.length > 0.08 * households.length, 'couples with both spouses registered');
  t.ok(couples.every((h) => h.hardshipCategories.includes('DUAL_UNEMPLOYED')));
  const single = households.filter((h) => h.registration.singleParent);
  t.ok(single.length > 0.03 * households.length && single.every((h) => h.hardshipCategories.includes('SINGLE_PARENT') && h.registration.minorChildren > 0));
  const zero = households.filter((h) => h.hardshipCategories.includes('ZERO_EMPLOYMENT_HOUSEHOLD'));
  t.ok(zero.length > 0.01 * households.length && zero.length < 0.15 * households.length, `zero-employment ${zero.length}/${households.length}`);
  t.ok(zero.every((h) => h.registration.otherEmployedMembers === 0));
  t.ok(households.every((h) => h.members.every((m) => m.registration.communityCode === h.registration.communityCode)));
});

t.test('households of three generations: the younger couple is dual on its own; single parents in their parents\' household', async (t) => {
  const three = households.filter((h) => h.kind === 'three-generations' && h.members.length >= 2);
  t.ok(three.length > 0.02 * households.length, `${three.length} households of three generations`);
  for (const h of three) {
    const later = h.members.find((m) => m.spouseKey);
    t.ok(later && h.members.some((m) => m.key === later.spouseKey && m.registration.relationship === 'child'), 'the child-in-law names the child as spouse');
    t.ok(h.members.filter((m) => m.key === later?.key || m.key === later?.spouseKey).every((m) => m.engine.hardshipCategories.includes('DUAL_UNEMPLOYED')));
  }
  const withParents = households.filter((h) => h.kind === 'single-parent-with-parents');
  t.ok(withParents.length > 0 && withParents.every((h) => h.members[0]!.registration.relationship === 'child' && h.members[0]!.engine.hardshipCategories.includes('SINGLE_PARENT')));
});

t.test('minimum livelihood is held by the household, with its certificate: every member holds it', async (t) => {
  const certified = households.filter((h) => h.registration.minimumLivelihood);
  t.ok(certified.length > 0.01 * households.length, `${certified.length} households with a certificate`);
  t.ok(certified.every((h) => /^苏民低保\d{4}第\d{6}号$/.test(h.registration.minimumLivelihood!.certificateNumber) && h.registration.minimumLivelihood!.since < '2026-01-01'));
  t.ok(certified.every((h) => h.members.every((m) => m.engine.hardshipCategories.includes('MINIMUM_LIVELIHOOD') && !m.registration.minimumLivelihood)));
  t.ok(households.filter((h) => !h.registration.minimumLivelihood).every((h) => h.members.every((m) => !m.engine.hardshipCategories.includes('MINIMUM_LIVELIHOOD'))));
});

t.test('skills and desired occupations come from the taxonomy, by occupation', async (t) => {
  t.ok(seekers.every((s) => s.engine.skills.every(isSkillCode) && s.engine.desiredOccupations.every(isOccupationCode)));
  t.ok(share(seekers.filter((s) => s.engine.skills.length > 0).length, seekers.length) > 0.9);
  t.ok(vacancies.every((v) => isOccupationCode(v.engine.occupationCode) && v.engine.skills.every(isSkillCode)));
  const expected = seekers.filter((s) => s.engine.expectedMonthlyWage !== null).map((s) => s.engine.expectedMonthlyWage!);
  t.ok(expected.every((w) => w >= 2500 && w <= 20000));
});

t.test('vacancies by sector, with public-welfare, reserved and assistance-base posts', async (t) => {
  const welfare = vacancies.filter((v) => v.engine.kind === 'public-welfare');
  const aid = vacancies.filter((v) => v.engine.aidBase);
  t.ok(share(welfare.length, vacancies.length) > 0.03 && share(welfare.length, vacancies.length) < 0.08, `public-welfare ${welfare.length}`);
  t.ok(aid.length > 0 && aid.every((v) => v.registration.source === 'aid-base' && v.engine.reservedFor.length > 0 && v.aidBaseIndex !== null));
  t.ok(welfare.some((v) => v.engine.reservedFor.length > 0) && welfare.some((v) => v.engine.reservedFor.length === 0));
  t.ok(welfare.every((v) => v.engine.maxAge >= 55 && city.employer(v.employerIndex).publicWelfare));
  t.ok(vacancies.every((v) => v.engine.minAge < v.engine.maxAge && v.engine.wageMin < v.engine.wageMax && v.engine.headcountLeft >= 1));
  t.ok(new Set(vacancies.map((v) => v.engine.occupationCode.slice(0, 4))).size > 20, 'many occupation groups');
  const employers = [...city.employers()];
  t.ok(employers.every((e) => parseCreditCode(e.registration.creditCode).ok));
  t.equal(new Set(employers.map((e) => e.registration.creditCode)).size, employers.length);
  t.ok(vacancies.every((v) => v.registration.employerId === city.employer(v.employerIndex).key));
});

t.test('a city of a million seekers is generated lazily', async (t) => {
  const big = createDemoCity({ seed: 'big', seekers: 1_000_000 });
  const started = Date.now();
  let n = 0;
  for (const s of big.seekers()) {
    if (s.engine.age < 16) t.fail('impossible age');
    if (++n === 2000) break;
  }
  t.equal(n, 2000);
  t.ok(Date.now() - started < 20_000, 'the first seekers come without generating the rest');
  t.equal(big.size.vacancies, 500_000);
  t.ok(big.vacancy(499_999).engine.id);
  t.throws(() => createDemoCity({ seekers: 0 }), RangeError);
});

t.test('ids never repeat, even where two entities draw from overlapping random streams', async (t) => {
  // mulberry32 streams are one 2^32 cycle: a stream seeded one step further is the same stream shifted.
  const a = new Random(0x1234_5678, 7);
  const b = new Random((0x1234_5678 + 0x6d2b79f5) >>> 0, 7);
  a.next();
  t.equal(a.uuid(), b.uuid(), 'plain draws from overlapping streams coincide');
  const c = new Random(0x1234_5678, 7);
  const d = new Random((0x1234_5678 + 0x6d2b79f5) >>> 0, 7);
  c.next();
  t.not(c.uuid(1), d.uuid(2), 'ids numbered apart stay apart');
  // A city's worth of ids from their own streams, as households, members and vacancies get them.
  const ids = new Set<string>();
  const count = 300_000;
  for (let i = 0; i < count; i++) ids.add(Random.stream('bench', 'household', i >> 2).uuid(i));
  t.equal(ids.size, count, `${count} distinct ids`);
  t.ok([...ids].slice(0, 1000).every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)), 'version-4 shaped');
  const lead = new Set([...ids].slice(0, 4096).map((id) => id.slice(0, 2)));
  t.ok(lead.size > 240, 'leading bytes spread evenly (runs split partitions by them)');
});
