import fc from 'fast-check';
import t from 'tap';
import { createDemoCity } from '@reemploy/demo-city';
import { occupationGroupOf, regionPrefix, skillFamilyOf } from '../src/codes.ts';
import { categoryMask } from '../src/hardship.ts';
import { normalisedWeights, resolveConfig } from '../src/config.ts';
import { BATCH_CANDIDATES, createMatcher, defaultMatchingConfig, eligible, KEY_LIST_LIMIT, pairFit, scoreOf, type MatchingConfig, type SeekerInput, type VacancyInput } from '../src/index.ts';
import { postingList, readWidth } from '../src/postings.ts';
import { buildVacancyIndex, type VacancyIndex } from '../src/vacancy-index.ts';
import { list, OCCUPATIONS, seekerArb, SKILLS, vacancyArb } from './arbitraries.ts';

/** Every vacancy the lists of `s` reach (the keys rank() reads, each at the width a seeker of his district and street reads it). */
function reached(ix: VacancyIndex, s: SeekerInput): Set<number> {
  const district = ix.districts.lookup(regionPrefix(s.communityCode, 6));
  const street = ix.streets.lookup(regionPrefix(s.communityCode, 9));
  const out = new Set<number>();
  const add = (p: VacancyIndex['bySkill'], key: number) => {
    if (key >= 0) for (const v of postingList(p, key, district, street)) out.add(v);
  };
  add(ix.byCommunity, ix.communities.lookup(regionPrefix(s.communityCode, 12)));
  for (const code of s.desiredOccupations) {
    add(ix.byOccupation, ix.occupations.lookup(code));
    add(ix.byGroup, ix.groups.lookup(occupationGroupOf(code)));
  }
  for (const code of s.skills) {
    add(ix.bySkill, ix.skills.lookup(code));
    add(ix.byFamily, ix.families.lookup(skillFamilyOf(code)));
  }
  add(ix.openToAll, 0);
  const mask = categoryMask(s.hardshipCategories);
  if (mask !== 0) {
    for (let c = 0; c < 8; c++) if (mask & (1 << c)) add(ix.reserved, c);
    add(ix.publicWelfare, 0);
  }
  return out;
}

/**
 * How many seekers' rankings differ from the exact best of what their lists reach, with the pairs those could be drawn
 * from; `widths` collects how wide their skill and occupation lists were read ("skill 0": by street...).
 */
function compare(seekers: SeekerInput[], vacancies: VacancyInput[], k: number, widths = new Set<string>(), weights?: MatchingConfig['weights']): { differ: number; reachable: number; scored: number } {
  const ix = buildVacancyIndex(vacancies, KEY_LIST_LIMIT);
  const w = normalisedWeights(resolveConfig({ weights }));
  const matcher = createMatcher(vacancies, { weights });
  let differ = 0, reachable = 0;
  for (const s of seekers) {
    const exact: { v: number; score: number }[] = [];
    for (const v of reached(ix, s)) {
      if (!eligible(s, ix.vacancies[v]!)) continue;
      exact.push({ v, score: scoreOf(pairFit(s, ix.vacancies[v]!).factors, w) });
    }
    reachable += exact.length;
    exact.sort((a, b) => b.score - a.score || a.v - b.v);
    const expected = exact.slice(0, k).map((x) => `${ix.vacancies[x.v]!.id}:${x.score}`).join(',');
    const got = matcher.rankForSeeker(s, k).map((m) => `${m.vacancyId}:${m.score}`).join(',');
    if (got !== expected) differ++;
    const district = ix.districts.lookup(regionPrefix(s.communityCode, 6)), street = ix.streets.lookup(regionPrefix(s.communityCode, 9));
    for (const code of s.skills) widths.add(`skill ${readWidth(ix.bySkill, ix.skills.lookup(code), district, street)}`);
    for (const code of s.desiredOccupations) widths.add(`occupation ${readWidth(ix.byOccupation, ix.occupations.lookup(code), district, street)}`);
  }
  return { differ, reachable, scored: matcher.stats().pairsScored };
}

t.test('lists skipped on their bound never change a ranking: every seeker gets the exact best of what his lists reach', async (t) => {
  // Enough vacancies that common keys are cut into district and street parts, so that lists are read at every width.
  const { seekers, vacancies } = createDemoCity({ seed: 'bounds', seekers: 1500, vacancies: 20_000 }).engineInput();
  const widths = new Set<string>();
  const { differ, reachable, scored } = compare(seekers, vacancies, BATCH_CANDIDATES(defaultMatchingConfig.topK), widths);
  t.equal(differ, 0, 'every ranking is the exact best of the reachable eligible vacancies');
  t.ok(['skill 0', 'skill 1', 'skill 2'].every((x) => widths.has(x)), "seekers' skill lists are read by street, by district and whole");
  t.ok(scored < 0.9 * reachable, `${scored} pairs scored of ${reachable} reachable and eligible: the bound skips lists`);
});

// Dense worlds: a few codes shared by some thousand posts, so that every kind of key is cut into parts and read at every width.
// Most in one district, so that its parts are long enough to be cut by street.
const DENSE_PLACES = fc.constantFrom('320508024043', '320508024043', '320508024001', '320508017003', '320508017003', '320583001001', '320102001001', '3205');
// And one rare skill and occupation, whose lists stay short enough to be read whole.
const RARE_SKILL = 'S009-01', RARE_OCCUPATION = '8-01-01';
const seeker = (id: string) => seekerArb(id, {
  skills: fc.subarray([...SKILLS, RARE_SKILL], { maxLength: 3 }), desiredOccupations: fc.subarray([...OCCUPATIONS, RARE_OCCUPATION], { maxLength: 2 }), communityCode: DENSE_PLACES,
});
const vacancy = (id: string) => vacancyArb(id, {
  occupationCode: fc.oneof({ weight: 40, arbitrary: fc.constantFrom(...OCCUPATIONS) }, { weight: 1, arbitrary: fc.constant(RARE_OCCUPATION) }),
  skills: fc.oneof({ weight: 40, arbitrary: fc.subarray(SKILLS, { maxLength: 3 }) }, { weight: 1, arbitrary: fc.constant<string[]>([RARE_SKILL]) }),
  communityCode: DENSE_PLACES, reservedOneIn: 5,
});

// Any weights: the bound must hold whichever factor counts most.
const weight = fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 1, noNaN: true }));
const weights = fc.record({ skills: weight, occupation: weight, age: weight, wage: weight, proximity: weight, priority: fc.double({ min: 0.01, max: 1, noNaN: true }) });

t.test('in dense worlds, where every kind of list is read whole, by district and by street, rankings stay exact whatever the weights', async (t) => {
  const widths = new Set<string>();
  let skipped = 0;
  fc.assert(
    fc.property(list(40, seeker, 's'), list(4000, vacancy, 'v'), fc.integer({ min: 1, max: 40 }), weights, (seekers, vacancies, k, w) => {
      const r = compare(seekers, vacancies, k, widths, w);
      skipped += r.reachable - r.scored;
      return r.differ === 0;
    }),
    // No shrinking: a failing world has thousands of posts.
    { numRuns: 25, endOnFailure: true },
  );
  t.ok(['skill', 'occupation'].every((kind) => [0, 1, 2].every((w) => widths.has(`${kind} ${w}`))), `skill and occupation lists were read at every width (${[...widths].sort().join(', ')})`);
  t.ok(skipped > 0, `${skipped} reachable pairs skipped on a bound`);
});
