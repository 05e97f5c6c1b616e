import t from 'tap';
import { sql } from 'kysely';
import { eligible, type SeekerInput } from '@reemploy/matching-engine';
import { eventually } from '@reemploy/runtime/testing';
import { loadCity } from '../bench/load.ts';
import { engineConfig, loadVacancyInputs, SEEKER_COLUMNS, toSeekerInput, type SeekerFields } from '../src/matcher/inputs.ts';
import { computePartition, finalizeRun, planRun, startNightlyRun } from '../src/runs/batch.ts';
import { openRunQueues } from '../src/runs/queues.ts';
import { build } from './helper.ts';
import { bearer } from './fixtures.ts';

// Workers compute in this same process here: the event-loop guard of the HTTP app would shed load.
const env = { MATCHING_PARTITION_SIZE: '100', MATCHING_TOP_K: '5', MATCHING_CAPACITY_FACTOR: '2', MATCHER_REFRESH_MS: '0', MAX_EVENT_LOOP_DELAY_MS: '60000' };

t.test('a run over the city: partitions on the queue, capacity-aware lists, recommendations by area', async (t) => {
  const svc = await build(t, { env });
  const { app, ctx, token } = svc;
  await loadCity(ctx.database.pool, { seekers: 500, vacancies: 150, seed: 'runs' });
  await svc.startWorkers();
  const headers = bearer(token(['matching:run', 'matching:read'], ['3205']));
  const posted = await app.inject({ method: 'POST', url: '/v1/matching-runs', headers, payload: {} });
  t.equal(posted.statusCode, 202, posted.body);
  const run = posted.json();
  t.equal(run.status, 'queued');
  t.equal(run.regionCode, '3205');
  t.equal(posted.headers.location, `/v1/matching-runs/${run.id}`);

  const again = await app.inject({ method: 'POST', url: '/v1/matching-runs', headers, payload: { regionCode: '320508' } });
  t.equal(again.statusCode, 409, 'one active run per area at a time');

  const done = await eventually(async () => {
    const r = (await app.inject({ url: `/v1/matching-runs/${run.id}`, headers })).json();
    return r.status === 'completed' || r.status === 'failed' ? r : undefined;
  }, 40_000, 200);
  t.equal(done.status, 'completed', done.error ?? '');
  t.equal(done.progress, 1);
  t.ok(done.partitions.total > 5, `split into ${done.partitions.total} partitions`);
  t.equal(done.partitions.done, done.partitions.total);
  const active = await sql<{ n: number }>`select count(*)::int as n from seekers where status = 'unemployed' and able_to_work and willing_to_work`.execute(ctx.db);
  t.equal(done.seekers, active.rows[0]!.n);
  t.ok(done.candidatePairsScored > 0);
  t.ok(done.startedAt && done.finishedAt);
  t.ok(done.timings.totalMs >= 0 && done.timings.allocateMs >= 0 && done.timings.computeMs >= 0);

  const recs = await ctx.db.selectFrom('recommendations').selectAll().where('run_id', '=', run.id).execute();
  t.equal(recs.length, done.seekers, 'one list per seeker, written once');
  t.equal(recs.reduce((n, r) => n + r.vacancy_ids.length, 0), done.recommendations);
  t.ok(done.recommendations > 0);
  t.ok(recs.every((r) => r.vacancy_ids.length <= 5), 'top K');
  const vacancies = new Map((await loadVacancyInputs(ctx.database.pool)).map((v) => [v.id, v]));
  const uses = new Map<string, number>();
  for (const r of recs) for (const id of r.vacancy_ids) uses.set(id, (uses.get(id) ?? 0) + 1);
  t.ok([...uses].every(([id, n]) => n <= Math.ceil(2 * vacancies.get(id)!.headcountLeft)), 'no vacancy in more than c·h lists');
  const { rows } = await ctx.database.pool.query<SeekerFields>(`select ${SEEKER_COLUMNS} from seekers`);
  const seekers = new Map<string, SeekerInput>(rows.map((r) => [r.seeker_id, toSeekerInput(r)]));
  t.ok(recs.every((r) => r.vacancy_ids.every((id) => eligible(seekers.get(r.seeker_id)!, vacancies.get(id)!))), 'every recommendation keeps the hard constraints');
  t.ok(recs.every((r) => r.scores.every((s, i) => i === 0 || s <= r.scores[i - 1]! + 1e-6)), 'every list is best first');
  t.equal(Number((await sql<{ n: number }>`select count(*)::int as n from run_candidates`.execute(ctx.db)).rows[0]!.n), 0, 'staging cleaned');
  const event = await ctx.db.selectFrom('outbox').selectAll().where('type', '=', 'matching-run.completed').executeTakeFirstOrThrow();
  t.match(event.payload, { runId: run.id, recommendations: done.recommendations });

  // Coordinators of 姑苏区 page through their seekers' lists.
  const coordinator = bearer(token(['matching:read'], ['320508']));
  const seen = new Set<string>();
  let cursor: string | null = null;
  do {
    const page: { statusCode: number; json(): { runId: string; items: { seekerId: string; communityCode: string; items: { factors: unknown; reasons: unknown[] }[] }[]; nextCursor: string | null } } = await app.inject({
      url: `/v1/recommendations?communityCode=320508&limit=40${cursor ? `&cursor=${cursor}` : ''}`,
      headers: coordinator,
    });
    t.equal(page.statusCode, 200);
    const body = page.json();
    t.equal(body.runId, run.id);
    for (const item of body.items) {
      t.ok(item.communityCode.startsWith('320508'));
      t.notOk(seen.has(item.seekerId), 'no seeker twice across pages');
      seen.add(item.seekerId);
    }
    cursor = body.nextCursor;
  } while (cursor);
  t.equal(seen.size, recs.filter((r) => r.community_code.startsWith('320508')).length, 'every seeker of the district, once');
  const first = (await app.inject({ url: '/v1/recommendations?communityCode=320508&limit=50', headers: coordinator })).json();
  const withItems = first.items.find((i: { items: unknown[] }) => i.items.length);
  t.ok(withItems.items[0].factors && withItems.items[0].reasons.length, 'factors and reasons explained');
  const outside = (await app.inject({ url: '/v1/recommendations?communityCode=320505', headers: coordinator })).json();
  t.same(outside.items, [], 'another district is not visible');
  const list = (await app.inject({ url: '/v1/matching-runs', headers })).json();
  t.equal(list.items[0].id, run.id);

  // Prometheus: the run's duration once, and the recommendations handed out above.
  const metrics = (await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${svc.token(['operations:read'])}` } })).body;
  const sample = (name: string, labels: Record<string, string>) => {
    const line = metrics.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
    return line ? Number(line.split(' ').at(-1)) : NaN;
  };
  const completed = { trigger: 'manual', outcome: 'completed' };
  t.equal(sample('matching_run_duration_seconds_count', completed), 1, 'one run observed');
  const seconds = sample('matching_run_duration_seconds_sum', completed);
  t.ok(seconds > 0 && seconds <= (Date.parse(done.finishedAt) - Date.parse(done.startedAt)) / 1000 + 0.001, `run duration ${seconds} s`);
  const served = sample('matches_served_total', { kind: 'recommendations' });
  t.ok(served >= withItems.items.length, `${served} recommendations served`);
});

t.test('a partition computed twice (a retried or duplicated job) is staged once; runs are deterministic', async (t) => {
  const { ctx } = await build(t, { env });
  await loadCity(ctx.database.pool, { seekers: 300, vacancies: 100, seed: 'retry' });
  const queues = openRunQueues(ctx);
  t.teardown(() => queues.close());
  const makeRun = async () => {
    const id = crypto.randomUUID();
    await ctx.db.insertInto('matching_runs').values({ id, region_code: '3205', trigger: 'manual', requested_by: 't', run_date: null, status: 'queued', error: null, started_at: null, finished_at: null, timings: '{}' }).execute();
    await planRun(ctx, queues, id);
    const parts = await ctx.db.selectFrom('run_partitions').select('partition_key').where('run_id', '=', id).execute();
    return { id, keys: parts.map((p) => p.partition_key) };
  };
  const a = await makeRun();
  const [key] = a.keys;
  await Promise.all([computePartition(ctx, queues, a.id, key!), computePartition(ctx, queues, a.id, key!)]);
  await computePartition(ctx, queues, a.id, key!);
  const run = await ctx.db.selectFrom('matching_runs').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
  t.equal(run.partitions_done, 1, 'counted once');
  const part = await ctx.db.selectFrom('run_partitions').selectAll().where('run_id', '=', a.id).where('partition_key', '=', key!).executeTakeFirstOrThrow();
  const staged = await sql<{ n: number; seekers: number }>`select count(*)::int as n, sum(seekers)::int as seekers from run_candidates where run_id = ${a.id}`.execute(ctx.db);
  t.equal(staged.rows[0]!.n, 1, 'the partition staged once');
  t.equal(staged.rows[0]!.seekers, part.seekers, 'each of its seekers once');
  t.ok(part.seekers > 0);
  for (const k of a.keys) await computePartition(ctx, queues, a.id, k);
  await finalizeRun(ctx, a.id);
  await finalizeRun(ctx, a.id);
  t.equal((await ctx.db.selectFrom('matching_runs').select('status').where('id', '=', a.id).executeTakeFirstOrThrow()).status, 'completed');
  const events = await ctx.db.selectFrom('outbox').select('id').where('type', '=', 'matching-run.completed').execute();
  t.equal(events.length, 1, 'finalized once');

  const b = await makeRun();
  for (const k of [...b.keys].reverse()) await computePartition(ctx, queues, b.id, k);
  await finalizeRun(ctx, b.id);
  const lists = async (id: string) => (await ctx.db.selectFrom('recommendations').select(['seeker_id', 'vacancy_ids']).where('run_id', '=', id).orderBy('seeker_id').execute()).map((r) => [r.seeker_id, r.vacancy_ids]);
  t.same(await lists(b.id), await lists(a.id), 'same data, same recommendations, whatever the partition order');
  t.ok(engineConfig(ctx.env).topK === 5);
});

t.test('the nightly run: two schedulers firing at once still make one run per night', async (t) => {
  const { ctx } = await build(t, { env });
  const queues = openRunQueues(ctx);
  t.teardown(() => queues.close());
  const at = new Date('2026-11-29T18:00:00Z'); // 02:00 on the 30th in Suzhou
  const [a, b] = await Promise.all([startNightlyRun(ctx, queues, at), startNightlyRun(ctx, queues, new Date(at.getTime() + 1000))]);
  t.equal(a, b);
  const runs = await ctx.db.selectFrom('matching_runs').selectAll().execute();
  t.equal(runs.length, 1);
  t.equal(runs[0]!.run_date, '2026-11-30');
  t.equal(runs[0]!.trigger, 'scheduled');
  t.equal(await queues.runs().getJobCountByTypes('waiting', 'delayed', 'prioritized'), 1, 'one plan job');
  await startNightlyRun(ctx, queues, new Date('2026-11-30T18:00:00Z'));
  t.equal((await ctx.db.selectFrom('matching_runs').select('id').execute()).length, 2, 'the next night is another run');
});

t.test('starting a run: regions are checked, and Redis down answers 503 at once leaving nothing behind', async (t) => {
  const { app, ctx, token } = await build(t, { env });
  const post = (regions: string[], payload: object) => app.inject({ method: 'POST', url: '/v1/matching-runs', headers: bearer(token(['matching:run'], regions)), payload });
  t.equal((await post(['320508'], { regionCode: '320505' })).statusCode, 403);
  t.equal((await post(['320508', '320505'], {})).statusCode, 400);
  t.equal((await post(['320508'], { regionCode: '320508', extra: 1 })).statusCode, 400);
  t.equal((await app.inject({ method: 'POST', url: '/v1/matching-runs', headers: bearer(token(['matching:read'])), payload: {} })).statusCode, 403, 'needs matching:run');
  ctx.redis.disconnect();
  const started = Date.now();
  const res = await post(['320508'], {});
  t.equal(res.statusCode, 503, res.body);
  t.ok(Date.now() - started < 3000, 'fails fast');
  t.equal((await ctx.db.selectFrom('matching_runs').select('id').execute()).length, 0, 'no orphan run');
});
