import t from 'tap';
import { randomUUID } from 'node:crypto';
import { build } from './helper.ts';
import { bearer } from './fixtures.ts';

const COMMUNITY = '320508024043';
const BASE = randomUUID();
const DISTRICT = '320508';
const FIGURES = ['progress', 'partitions', 'seekers', 'vacancies', 'candidatePairsScored', 'recommendations', 'timings', 'error'];

/** Runs as the batch leaves them: one over the whole projection, one over the city, one over a district, one over a community. */
async function seedRuns(ctx: Awaited<ReturnType<typeof build>>['ctx']) {
  const ids: Record<string, string> = {};
  const at = Date.parse('2026-11-30T03:00:00Z');
  const regions: [string, string | null][] = [['projection', null], ['city', '3205'], ['district', DISTRICT], ['community', COMMUNITY]];
  for (const [i, [name, regionCode]] of regions.entries()) {
    const id = randomUUID();
    ids[name] = id;
    await ctx.db
      .insertInto('matching_runs')
      .values({
        id,
        region_code: regionCode,
        trigger: regionCode === null ? 'scheduled' : 'manual',
        requested_by: 'test-system',
        run_date: null,
        status: name === 'city' ? 'failed' : 'completed',
        partitions_total: 40 - i,
        partitions_done: 40 - i,
        seekers: 20_000 - i,
        vacancies: 10_000 - i,
        candidates: 900_000,
        pairs_scored: 5_000_000,
        recommendations: 400_000 - i,
        timings: JSON.stringify({ totalMs: 9_000, computeMs: 40_000 }),
        error: name === 'city' ? 'compute: partition 320505.320505001.320505002 failed' : null,
        created_at: new Date(at + i * 60_000),
        started_at: new Date(at + i * 60_000),
        finished_at: new Date(at + i * 60_000 + 9_000),
      })
      .execute();
  }
  return ids;
}

t.test("a run's figures are shown only to callers whose regions hold the whole run, never to an aid base", async (t) => {
  const { app, ctx, token } = await build(t);
  const ids = await seedRuns(ctx);
  const list = async (regions: string[], extra = {}) => {
    const res = await app.inject({ url: '/v1/matching-runs?limit=10', headers: bearer(token(['matching:read'], regions, extra)) });
    t.equal(res.statusCode, 200, res.body);
    return new Map((res.json().items as Record<string, unknown>[]).map((r) => [r.id as string, r]));
  };
  const one = async (id: string, regions: string[], extra = {}) => {
    const res = await app.inject({ url: `/v1/matching-runs/${id}`, headers: bearer(token(['matching:read'], regions, extra)) });
    t.equal(res.statusCode, 200, res.body);
    return res.json() as Record<string, unknown>;
  };
  const withoutFigures = (run: Record<string, unknown> | undefined, what: string) => {
    t.ok(run, `${what}: listed`);
    for (const f of FIGURES) t.notOk(f in (run ?? {}), `${what}: no ${f}`);
    t.match(run, { status: String, finishedAt: String }, `${what}: status and times stay`);
    t.ok(run && 'regionCode' in run, `${what}: its region stays`);
  };
  const withFigures = (run: Record<string, unknown> | undefined, what: string) => {
    t.match(run, { progress: Number, partitions: { total: Number, done: Number }, seekers: Number, vacancies: Number, candidatePairsScored: 5_000_000, recommendations: Number, timings: { totalMs: 9_000 } }, what);
  };

  // One community's systems: every run they see covers others too, except their own.
  const community = await list([COMMUNITY]);
  t.same([...community.keys()].sort(), [ids.projection, ids.city, ids.district, ids.community].sort(), 'runs overlapping the community are listed');
  withoutFigures(community.get(ids.projection!), 'the whole projection, to a community');
  withoutFigures(community.get(ids.city!), 'the city, to a community');
  withoutFigures(community.get(ids.district!), 'its district, to a community');
  withFigures(community.get(ids.community!), 'its own community run');
  withoutFigures(await one(ids.projection!, [COMMUNITY]), 'the whole projection by id, to a community');
  withoutFigures(await one(ids.city!, [COMMUNITY]), 'a failed city run by id: not even its error');
  withoutFigures(await one(ids.district!, [COMMUNITY]), 'its district by id, to a community');

  // A district's systems see the figures of their district's runs and below.
  const district = await list([DISTRICT]);
  withFigures(district.get(ids.district!), 'its own district run');
  withFigures(await one(ids.district!, [DISTRICT]), 'its own district run by id');
  withFigures(district.get(ids.community!), 'a community run inside the district');
  withoutFigures(district.get(ids.projection!), 'the whole projection, to a district');
  withoutFigures(district.get(ids.city!), 'the city, to a district');

  // The city's systems see every region's figures but not the whole projection's (it is not a region).
  const city = await list(['3205']);
  withFigures(city.get(ids.city!) ?? undefined, 'the city run, to the city');
  t.equal(city.get(ids.city!)?.error, 'compute: partition 320505.320505001.320505002 failed', 'its error to the city');

  // An aid base's systems: no figures, even of a run inside their regions.
  const base = await list([COMMUNITY], { aidBase: BASE });
  withoutFigures(base.get(ids.community!), 'a community run, to an aid base');
  withoutFigures(await one(ids.community!, [COMMUNITY], { aidBase: BASE }), 'a community run by id, to an aid base');
});

t.test('starting a run answers its figures (its own region); an aid base is answered without them', async (t) => {
  const { app, token } = await build(t);
  const own = await app.inject({ method: 'POST', url: '/v1/matching-runs', headers: bearer(token(['matching:run'], [COMMUNITY])), payload: {} });
  t.equal(own.statusCode, 202, own.body);
  t.match(own.json(), { regionCode: COMMUNITY, status: 'queued', progress: 0, seekers: 0, partitions: { total: 0, done: 0 } });
  const base = await app.inject({ method: 'POST', url: '/v1/matching-runs', headers: bearer(token(['matching:run'], ['320505'], { aidBase: BASE })), payload: {} });
  t.equal(base.statusCode, 202, base.body);
  t.notOk('seekers' in base.json(), 'no figures to an aid base');
});
