import t from 'tap';
import { allocate, hashSeed, mulberry32, pick, sampleCommunities, samplePhoneSurvey, sampleSize } from '../src/index.ts';

/** 136 applicant communities over three districts, as in the report's year (20 sampled = 14.7%). */
function applicants(): string[] {
  const codes: string[] = [];
  const sizes: [string, number][] = [['320502', 50], ['320503', 46], ['320504', 40]];
  for (const [district, n] of sizes) for (let i = 0; i < n; i += 1) codes.push(`${district}${String(1 + (i % 4)).padStart(3, '0')}${String(i).padStart(3, '0')}`);
  return codes;
}

t.test('the PRNG is a pure function of its seed', async (t) => {
  const a = mulberry32(42);
  const b = mulberry32(42);
  const xs = Array.from({ length: 5 }, () => a());
  t.same(xs, Array.from({ length: 5 }, () => b()));
  t.ok(xs.every((x) => x >= 0 && x < 1));
  t.not(hashSeed('2025-12'), hashSeed('2025-11'));
  const c = mulberry32(43)();
  t.not(c, xs[0]);
});

t.test('pick draws without replacement and leaves its input alone', async (t) => {
  const items = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const drawn = pick(items, 4, mulberry32(7));
  t.equal(new Set(drawn).size, 4);
  t.same(items, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  t.equal(pick(items, 20, mulberry32(7)).length, 10);
});

t.test('largest-remainder allocation is proportional and sums to n', async (t) => {
  const sizes = new Map([['a', 50], ['b', 46], ['c', 40]]);
  const seats = allocate(sizes, 20);
  // quotas 7.35, 6.76, 5.88 → 7, 6, 5 and two remainders to b and c
  t.same(Object.fromEntries(seats), { a: 7, b: 7, c: 6 });
  t.equal([...allocate(new Map([['x', 1], ['y', 1], ['z', 1]]), 2).values()].reduce((a, b) => a + b), 2);
  t.same(Object.fromEntries(allocate(new Map([['x', 1], ['y', 1], ['z', 1]]), 2)), { x: 1, y: 1, z: 0 }, 'ties go to the smaller key');
  t.same(Object.fromEntries(allocate(new Map([['x', 2]]), 5)), { x: 2 }, 'never more than the population');
  for (let n = 0; n <= 136; n += 1) {
    const s = allocate(sizes, n);
    t.equal([...s.values()].reduce((a, b) => a + b), n);
    for (const [k, v] of s) t.ok(v <= (sizes.get(k) ?? 0));
  }
});

t.test('sample size from a fraction or a count', async (t) => {
  t.equal(sampleSize(136, { fraction: 0.147 }), 20);
  t.equal(sampleSize(136, { count: 20 }), 20);
  t.equal(sampleSize(10, { count: 20 }), 10);
  t.equal(sampleSize(50, { fraction: 0.01 }), 1, 'about 1%, at least one');
  t.equal(sampleSize(0, { fraction: 0.5 }), 0);
  t.equal(sampleSize(10, { fraction: 0 }), 0);
});

t.test('the same seed draws the same communities, whatever the input order', async (t) => {
  const codes = applicants();
  const first = sampleCommunities(codes, 'audit-2025', { count: 20 });
  const again = sampleCommunities([...codes].reverse(), 'audit-2025', { count: 20 });
  t.same(again.items, first.items);
  t.equal(first.items.length, 20);
  t.same(first.strata, [
    { stratum: '320502', population: 50, drawn: 7 },
    { stratum: '320503', population: 46, drawn: 7 },
    { stratum: '320504', population: 40, drawn: 6 },
  ]);
  for (const code of first.items) t.ok(codes.includes(code));
  const other = sampleCommunities(codes, 'audit-2026', { count: 20 });
  t.not(other.items.join(), first.items.join(), 'another seed, another sample');
});

t.test('adding a community to one district leaves the other districts’ draws alone', async (t) => {
  const codes = applicants();
  const before = sampleCommunities(codes, 's', { count: 20 });
  const after = sampleCommunities([...codes, '320502009999'], 's', { count: 20 });
  const outside = (items: string[]) => items.filter((c) => !c.startsWith('320502'));
  t.same(outside(after.items), outside(before.items));
});

t.test('the draw is roughly uniform within a stratum', async (t) => {
  const codes = Array.from({ length: 10 }, (_, i) => `320502001${String(i).padStart(3, '0')}`);
  const hits = new Map<string, number>();
  for (let s = 0; s < 2000; s += 1) for (const c of sampleCommunities(codes, `seed-${s}`, { count: 3 }).items) hits.set(c, (hits.get(c) ?? 0) + 1);
  for (const code of codes) t.ok(Math.abs((hits.get(code) ?? 0) - 600) < 120, `${code} drawn ${hits.get(code)} of ~600`);
});

t.test('phone survey: about 1% of the registered unemployed, spread over communities', async (t) => {
  const people = Array.from({ length: 950 }, (_, i) => ({ id: `p${String(i).padStart(4, '0')}`, community: `32050200100${i % 5}` }));
  const survey = samplePhoneSurvey(people, 'audit-2025', { key: (p) => p.id, community: (p) => p.community });
  t.equal(survey.items.length, 10, 'round(9.5) = 10');
  t.equal(new Set(survey.items.map((p) => p.community)).size, 5);
  t.same(samplePhoneSurvey(people, 'audit-2025', { key: (p) => p.id, community: (p) => p.community }).items, survey.items);
  const communities = sampleCommunities(people.map((p) => p.community), 'audit-2025', { count: 1 });
  t.equal(communities.items.length, 1, 'the two kinds of sample draw from separate streams');
});

t.test('phone survey: never more than maxCount people, in the same proportions per community', async (t) => {
  const people = Array.from({ length: 1000 }, (_, i) => ({ id: `p${String(i).padStart(4, '0')}`, community: i < 600 ? 'a' : 'b' }));
  type Person = (typeof people)[number];
  const options = { key: (p: Person) => p.id, community: (p: Person) => p.community };
  const capped = samplePhoneSurvey(people, 's', { ...options, fraction: 0.5, maxCount: 20 });
  t.same(capped.strata.map((s) => [s.stratum, s.drawn]), [['a', 12], ['b', 8]], '20 of the 500 asked for, 3:2 as the communities are');
  t.equal(samplePhoneSurvey(people, 's', { ...options, fraction: 0.01, maxCount: 20 }).items.length, 10, 'under the cap the fraction decides');
});
