import type { Worker } from 'node:worker_threads';
import t from 'tap';
import { createMatcher } from '@reemploy/matching-engine';
import { loadCity } from '../bench/load.ts';
import { engineConfig, loadVacancyInputs, SEEKER_COLUMNS, toSeekerInput, type SeekerFields } from '../src/matcher/inputs.ts';
import { Ranker } from '../src/matcher/ranker.ts';
import type { Caller } from '@reemploy/http-kit';
import { sessionLimits } from '@reemploy/runtime';
import { MatcherCache } from '../src/matcher/cache.ts';
import { matchesForSeeker } from '../src/matches/service.ts';
import { bearer, matchesBySchema } from './fixtures.ts';
import { build } from './helper.ts';

t.test('the ranking thread answers as the in-process matcher does; a dead thread is not restarted on every request', async (t) => {
  const { ctx } = await build(t, { env: { MATCHER_REFRESH_MS: '0' } });
  await loadCity(ctx.database.pool, { seekers: 200, vacancies: 300, seed: 'ranker' });
  const config = engineConfig(ctx.env);
  const ranker = new Ranker({ url: ctx.env.DATABASE_URL, schema: ctx.database.schema, config, refreshMs: 0, limits: sessionLimits(ctx.env) });
  t.teardown(() => ranker.close());
  const local = createMatcher(await loadVacancyInputs(ctx.database.pool), config);
  const { rows } = await ctx.database.pool.query<SeekerFields>(`select ${SEEKER_COLUMNS} from seekers order by seeker_id limit 25`);
  let ranked = 0;
  for (const row of rows) {
    const seeker = toSeekerInput(row);
    const items = await ranker.rank(seeker, 10);
    t.same(items, local.rankForSeeker(seeker, 10));
    ranked += items.length;
  }
  t.ok(ranked > 0, `${ranked} matches`);

  const [thread] = (ranker as unknown as { pool: { threads: Worker[] } }).pool.threads;
  await thread!.terminate();
  const started = Date.now();
  await t.rejects(ranker.rank(toSeekerInput(rows[0]!), 10), /unavailable/, 'refused at once while the thread is down: the route ranks on its own thread');
  t.ok(Date.now() - started < 1000);
});

t.test('GET matches made on the ranking thread answers exactly as the same route made on the HTTP thread', async (t) => {
  const { app, ctx, token } = await build(t, { env: { MATCHER_REFRESH_MS: '0' } });
  await loadCity(ctx.database.pool, { seekers: 150, vacancies: 200, seed: 'thread-body' });
  const { rows } = await ctx.database.pool.query<{ seeker_id: string; community_code: string }>(`select seeker_id, community_code from seekers order by seeker_id limit 12`);
  const ranker = new Ranker({ url: ctx.env.DATABASE_URL, schema: ctx.database.schema, config: engineConfig(ctx.env), refreshMs: 0, limits: sessionLimits(ctx.env) });
  t.teardown(() => ranker.close());
  const cache = new MatcherCache(ctx.database.pool, engineConfig(ctx.env), 0);
  const caller: Caller = { sub: 'test', scopes: new Set(['matching:read']), regions: ['3205'] };
  let ranked = 0;
  for (const row of rows) {
    const res = await app.inject({ url: `/v1/job-seekers/${row.seeker_id}/matches?limit=7`, headers: bearer(token(['matching:read'])) });
    t.equal(res.statusCode, 200, res.body);
    t.match(res.headers['content-type'], /^application\/json; charset=utf-8/);
    const onHttpThread = await matchesForSeeker(ctx, ranker, cache, caller, row.seeker_id, 7);
    t.equal(res.body, matchesBySchema(onHttpThread), 'byte for byte what the route writes by its schema (zod agreeing)');
    ranked += onHttpThread.items.length;
    const elsewhere = row.community_code.startsWith('320505') ? '320508' : '320505';
    const outside = await app.inject({ url: `/v1/job-seekers/${row.seeker_id}/matches`, headers: bearer(token(['matching:read'], [elsewhere])) });
    t.equal(outside.statusCode, 404, 'outside the caller regions: not found');
  }
  t.ok(ranked > 0, `${ranked} matches`);
});

t.test('GET matches arriving together are read in one query and each answered as if alone', async (t) => {
  const { app, ctx, token } = await build(t, { env: { MATCHER_REFRESH_MS: '0' } });
  await loadCity(ctx.database.pool, { seekers: 150, vacancies: 200, seed: 'thread-batch' });
  const { rows } = await ctx.database.pool.query<{ seeker_id: string }>(`select seeker_id from seekers order by seeker_id limit 16`);
  // One of them no longer looking for work: in the same batch, it gets no matches and the others theirs.
  await ctx.database.pool.query(`update seekers set status = 'employed' where seeker_id = $1`, [rows[3]!.seeker_id]);
  const ranker = new Ranker({ url: ctx.env.DATABASE_URL, schema: ctx.database.schema, config: engineConfig(ctx.env), refreshMs: 0, limits: sessionLimits(ctx.env) });
  t.teardown(() => ranker.close());
  const cache = new MatcherCache(ctx.database.pool, engineConfig(ctx.env), 0);
  const caller: Caller = { sub: 'test', scopes: new Set(['matching:read']), regions: ['3205'] };
  const ids = [...rows.map((r) => r.seeker_id), crypto.randomUUID(), rows[0]!.seeker_id.toUpperCase(), rows[5]!.seeker_id];
  const headers = bearer(token(['matching:read']));
  const answers = await Promise.all(ids.map((id, i) => app.inject({ url: `/v1/job-seekers/${id}/matches?limit=${3 + (i % 5)}`, headers })));
  for (const [i, id] of ids.entries()) {
    const res = answers[i]!;
    if (i === rows.length) {
      t.equal(res.statusCode, 404, 'an unknown seeker in the batch: not found');
      continue;
    }
    t.equal(res.statusCode, 200, res.body);
    const alone = await matchesForSeeker(ctx, ranker, cache, caller, id.toLowerCase(), 3 + (i % 5));
    t.same(res.json(), JSON.parse(JSON.stringify(alone)), `answer ${i} is its own seeker's, with its own limit`);
  }
  t.same(answers[3]!.json().items, [], 'the employed seeker is not ranked');
});
