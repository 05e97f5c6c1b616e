import t from 'tap';
import { build } from './helper.ts';
import { bearer, deliver, seeker, vacancy } from './fixtures.ts';

type Item = { vacancyId: string; rank: number; available: boolean; factors: unknown; reasons: unknown[] };
type List = { seekerId: string; active: boolean; items: Item[] };

t.test("recommendations keep the run's list and say, item by item, what is still open to the seeker now", async (t) => {
  const { app, ctx, token } = await build(t, { env: { MATCHER_REFRESH_MS: '0' } });
  const a = seeker({ hardshipCategories: ['OLDER_4050'] });
  const b = seeker();
  for (const s of [a, b]) await deliver(ctx, 'seeker.registered', s);
  const [v1, v2, v3] = [vacancy(), vacancy(), vacancy()];
  for (const v of [v1, v2, v3]) await deliver(ctx, 'vacancy.created', v);
  // A completed run's lists, as finalize writes them.
  const runId = crypto.randomUUID();
  await ctx.db
    .insertInto('matching_runs')
    .values({ id: runId, created_at: new Date(), region_code: null, trigger: 'manual', requested_by: 'test', run_date: null, status: 'completed', error: null, started_at: new Date(), finished_at: new Date(), timings: '{}' })
    .execute();
  await ctx.db
    .insertInto('recommendations')
    .values([
      { run_id: runId, seeker_id: a.seekerId, community_code: a.communityCode, tier: 2, vacancy_ids: [v1.vacancyId, v2.vacancyId, v3.vacancyId], scores: [0.9, 0.8, 0.7] },
      { run_id: runId, seeker_id: b.seekerId, community_code: b.communityCode, tier: 3, vacancy_ids: [v3.vacancyId], scores: [0.6] },
    ])
    .execute();
  const lists = async () => {
    const res = await app.inject({ url: '/v1/recommendations?communityCode=320508', headers: bearer(token(['matching:read'])) });
    t.equal(res.statusCode, 200, res.body);
    return new Map((res.json().items as List[]).map((l) => [l.seekerId, l]));
  };

  let now = await lists();
  t.same([...now.values()].map((l) => [l.active, l.items.map((i) => i.available)]).sort(), [[true, [true, true, true]], [true, [true]]].sort());
  t.ok(now.get(a.seekerId)!.items.every((i) => i.factors !== null && i.reasons.length > 0), 'explained');

  // Since the run: v1 filled, v2 reserved for single parents, seeker b hired.
  await deliver(ctx, 'vacancy.updated', { ...v1, headcountLeft: 0, status: 'filled' });
  await deliver(ctx, 'vacancy.updated', { ...v2, reservedFor: ['SINGLE_PARENT'] });
  await deliver(ctx, 'seeker.employment-changed', { ...b, status: 'employed' });
  now = await lists();
  const listA = now.get(a.seekerId)!;
  t.equal(listA.active, true);
  t.same(listA.items.map((i) => [i.vacancyId, i.rank, i.available]), [[v1.vacancyId, 1, false], [v2.vacancyId, 2, false], [v3.vacancyId, 3, true]], "the run's list and ranks, what is still open marked");
  t.same(listA.items.slice(0, 2).map((i) => [i.factors, i.reasons]), [[null, []], [null, []]], 'no factors for what is no longer open to the seeker');
  t.ok(listA.items[2]!.factors);
  const listB = now.get(b.seekerId)!;
  t.equal(listB.active, false, 'hired since the run');
  t.same(listB.items.map((i) => [i.available, i.factors]), [[false, null]], 'nothing is available to a seeker no longer looking');
});
