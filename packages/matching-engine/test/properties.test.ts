import fc from 'fast-check';
import t from 'tap';
import { servingOrder } from '../src/allocate.ts';
import { allocate, createMatcher, defaultMatchingConfig, eligible, pairFit, priorityTier, scoreOf, type Match, type SeekerInput, type VacancyInput } from '../src/index.ts';
import { list, seekerArb, vacancyArb } from './arbitraries.ts';

interface World {
  seekers: SeekerInput[];
  vacancies: VacancyInput[];
  capacityFactor: number;
  topK: number;
}
const world: fc.Arbitrary<World> = fc
  .record({ seekers: fc.integer({ min: 1, max: 12 }), vacancies: fc.integer({ min: 0, max: 40 }) })
  .chain(({ seekers, vacancies }) =>
    fc.record({
      seekers: list(seekers, seekerArb, 's'),
      vacancies: list(vacancies, vacancyArb, 'v'),
      capacityFactor: fc.constantFrom(0.5, 1, 2, 5),
      topK: fc.integer({ min: 1, max: 6 }),
    }),
  );

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const family = (code: string) => (/^S\d{3}-\d{2}$/.test(code) ? code.slice(0, 4) : null);
const group = (code: string) => (/^[1-8]-\d{2}-\d{2}$/.test(code) ? code.slice(0, 4) : null);

/** Whether one of the seeker's keys reaches the vacancy (in a world this small every list is read city-wide). */
function reachable(s: SeekerInput, v: VacancyInput): boolean {
  if (v.skills.some((x) => s.skills.includes(x) || (family(x) !== null && s.skills.some((y) => family(y) === family(x))))) return true;
  if (s.desiredOccupations.includes(v.occupationCode)) return true;
  if (group(v.occupationCode) !== null && s.desiredOccupations.some((d) => group(d) === group(v.occupationCode))) return true;
  if (v.communityCode.length >= 12 && v.communityCode === s.communityCode) return true;
  if (v.skills.length === 0) return true;
  return s.hardshipCategories.length > 0 && (v.kind === 'public-welfare' || v.reservedFor.length > 0 || v.aidBase);
}

const sorted = (list: { score: number; id: string }[]) => list.every((x, i) => i === 0 || list[i - 1]!.score > x.score || (list[i - 1]!.score === x.score && cmp(list[i - 1]!.id, x.id) < 0));

t.test('no result breaks a hard constraint, scores agree with the factors, and the ranking is exact over the candidates', async () => {
  fc.assert(
    fc.property(world, ({ seekers, vacancies, topK }) => {
      const matcher = createMatcher(vacancies, { topK });
      const byId = new Map(vacancies.map((v) => [v.id, v]));
      for (const s of seekers) {
        const got = matcher.rankForSeeker(s);
        if (got.length > topK) return false;
        for (const m of got) {
          const v = byId.get(m.vacancyId)!;
          if (!eligible(s, v)) return false;
          if (m.score !== scoreOf(pairFit(s, v).factors, defaultMatchingConfig.weights)) return false;
        }
        if (!sorted(got.map((m) => ({ score: m.score, id: m.vacancyId }))) || got.some((m, i) => m.rank !== i + 1)) return false;
        const brute = vacancies
          .filter((v) => eligible(s, v) && reachable(s, v))
          .map((v) => ({ id: v.id, score: scoreOf(pairFit(s, v).factors, defaultMatchingConfig.weights) }))
          .sort((a, b) => b.score - a.score || cmp(a.id, b.id))
          .slice(0, topK);
        if (JSON.stringify(brute) !== JSON.stringify(got.map((m) => ({ id: m.vacancyId, score: m.score })))) return false;
      }
      for (const v of vacancies) {
        const ranked = matcher.rankCandidates(v.id, seekers);
        if (ranked.some((c) => !eligible(seekers.find((s) => s.id === c.seekerId)!, v))) return false;
        if (!sorted(ranked.map((c) => ({ score: c.score, id: c.seekerId })))) return false;
      }
      return true;
    }),
    { numRuns: 300 },
  );
});

t.test('allocate: within capacity, eligible only, higher tiers first, reserved posts never to the ineligible', async () => {
  fc.assert(
    fc.property(world, ({ seekers, vacancies, capacityFactor, topK }) => {
      const matcher = createMatcher(vacancies, { topK });
      const candidates = new Map(seekers.map((s) => [s.id, matcher.candidatesFor(s, 3 * topK)]));
      // Anyone may pass anything: give the first seeker every vacancy, eligible or not.
      candidates.set(seekers[0]!.id, vacancies.map((v, i): Match => ({ vacancyId: v.id, rank: i + 1, score: 0.5, factors: {} as Match['factors'], reasons: [] })));
      const lists = allocate(seekers, candidates, vacancies, { capacityFactor, topK });
      const byId = new Map(vacancies.map((v) => [v.id, v]));
      const holders = new Map<string, SeekerInput[]>();
      for (const s of seekers) {
        const list = lists.get(s.id)!;
        if (list.length > topK || list.some((m, i) => m.rank !== i + 1)) return false;
        for (const m of list) {
          const v = byId.get(m.vacancyId)!;
          if (!eligible(s, v)) return false; // covers: an ineligible seeker never holds a reserved post
          holders.set(v.id, [...(holders.get(v.id) ?? []), s]);
        }
      }
      for (const [id, hs] of holders) if (hs.length > Math.ceil(capacityFactor * byId.get(id)!.headcountLeft)) return false;
      // A seeker who wanted a post, did not get it and has room left lost it to nobody of a lower tier.
      for (const s of seekers) {
        const got = new Set(lists.get(s.id)!.map((m) => m.vacancyId));
        if (got.size >= topK) continue;
        for (const m of candidates.get(s.id)!) {
          const v = byId.get(m.vacancyId)!;
          if (got.has(v.id) || !eligible(s, v)) continue;
          if ((holders.get(v.id) ?? []).some((h) => priorityTier(h.hardshipCategories) > priorityTier(s.hardshipCategories))) return false;
        }
      }
      return true;
    }),
    { numRuns: 300 },
  );
});

t.test('the same input gives the same output, whatever the order of the vacancies or seekers', async () => {
  fc.assert(
    fc.property(world, fc.integer(), ({ seekers, vacancies, capacityFactor, topK }, seed) => {
      const shuffle = <T>(xs: readonly T[]) => xs.map((x, i) => ({ x, k: Math.sin(seed + i) })).sort((a, b) => a.k - b.k).map((e) => e.x);
      const run = (ss: SeekerInput[], vs: VacancyInput[]) => {
        const matcher = createMatcher(vs, { topK });
        const candidates = new Map(ss.map((s) => [s.id, matcher.candidatesFor(s, 3 * topK)]));
        const lists = allocate(ss, candidates, vs, { capacityFactor, topK });
        return JSON.stringify(seekers.map((s) => [matcher.rankForSeeker(s), lists.get(s.id)]));
      };
      const first = run(seekers, vacancies);
      return run(seekers, vacancies) === first && run(shuffle(seekers), shuffle(vacancies)) === first;
    }),
    { numRuns: 200 },
  );
});

t.test("the allocation's serving order: by tier, best score, index, whether scores are the engine's millionths or not", async () => {
  const reference = (tier: Uint8Array, best: Float64Array) =>
    Array.from(tier.keys()).sort((x, y) => tier[x]! - tier[y]! || best[y]! - best[x]! || x - y);
  const millionths = fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 1_000_000 }).map((m) => m / 1e6), fc.constantFrom(0.5, 0.500001, 1));
  const world = (score: fc.Arbitrary<number>) =>
    fc.array(fc.record({ tier: fc.integer({ min: 0, max: 4 }), best: score }), { maxLength: 300 }).map((rows) => ({
      tier: Uint8Array.from(rows, (r) => r.tier),
      best: Float64Array.from(rows, (r) => r.best),
    }));
  const agrees = ({ tier, best }: { tier: Uint8Array; best: Float64Array }) => servingOrder(tier, best).join() === reference(tier, best).join();
  fc.assert(fc.property(world(millionths), agrees), { numRuns: 300 });
  // Scores off the millionths grid take the comparison sort.
  fc.assert(fc.property(world(fc.double({ min: 0, max: 1, noNaN: true })), agrees), { numRuns: 100 });
  t.pass('both paths agree with the comparison');
});
