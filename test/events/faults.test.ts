import t from 'tap';
import pg from 'pg';
import { eventually, testQueuePrefix } from '@reemploy/runtime/testing';
import { startPrivatePostgres, startPrivateRedis } from '@reemploy/testkit/private-infra';
import { build as buildRegistration } from '../../services/registration/test/helper.ts';
import { build as buildMatching } from '../../services/matching/test/helper.ts';
import { post, seekerPayload } from '../helper.ts';

async function count(pool: pg.Pool, sql: string): Promise<number> {
  const { rows } = await pool.query(sql);
  return Number(rows[0].n);
}

/** Registration and matching exchanging events through a Redis of the test's own, to be killed or hung. */
async function linkedOverPrivateRedis(t: { teardown(fn: () => unknown): void; after(fn: () => unknown): void }) {
  const redis = await startPrivateRedis();
  t.teardown(() => redis.stop());
  const queuePrefix = testQueuePrefix();
  const env = { REDIS_URL: redis.url };
  const registration = await buildRegistration(t, { queuePrefix, env });
  const matching = await buildMatching(t, { queuePrefix, env });
  await registration.startWorkers();
  await matching.startWorkers();
  return { redis, registration, matching, token: registration.token(['seekers:write']) };
}

t.test('Redis killed with SIGKILL while events flow, restarted from its append-only file: nothing lost, nothing applied twice', async (t) => {
  const { redis, registration, matching, token } = await linkedOverPrivateRedis(t);

  const ids: string[] = [];
  for (let n = 1; n <= 24; n++) {
    if (n === 9) await redis.kill();
    if (n === 17) await redis.start();
    const res = await post(registration.app, '/v1/job-seekers', token, seekerPayload(100 + n));
    t.equal(res.statusCode, 201, `seeker ${n} registered (Redis ${n >= 9 && n < 17 ? 'down' : 'up'})`);
    ids.push(res.json().id);
  }
  await eventually(async () => ((await count(matching.ctx.database.pool, 'select count(*) as n from seekers')) === 24 ? true : undefined), 20_000, 200);
  t.equal(await count(matching.ctx.database.pool, 'select count(*) as n from inbox'), 24, 'each event applied exactly once');
  t.equal(await count(registration.ctx.database.pool, 'select count(*) as n from outbox where published_at is null'), 0, 'the outbox drained');
  const projected = await matching.ctx.database.pool.query('select seeker_id from seekers order by seeker_id');
  t.same(projected.rows.map((r) => r.seeker_id), [...ids].sort(), 'every committed seeker reached matching');
});

t.test('Redis hung with SIGSTOP: readiness says so within about a second, writes that need no queue keep serving, and events flow after SIGCONT', async (t) => {
  const { redis, registration, matching, token } = await linkedOverPrivateRedis(t);

  redis.pause();
  let started = Date.now();
  const ready = await registration.app.inject({ url: '/ready' });
  t.equal(ready.statusCode, 503, 'not ready while Redis hangs');
  t.ok(Date.now() - started < 1600, `answered in ${Date.now() - started} ms`);
  started = Date.now();
  const created = await post(registration.app, '/v1/job-seekers', token, seekerPayload(201));
  t.equal(created.statusCode, 201, 'registration writes to its outbox and keeps serving');
  t.ok(Date.now() - started < 1000, `answered in ${Date.now() - started} ms`);
  redis.resume();

  await eventually(async () => ((await count(matching.ctx.database.pool, 'select count(*) as n from seekers')) === 1 ? true : undefined), 15_000, 200);
  t.equal((await registration.app.inject({ url: '/ready' })).statusCode, 200, 'ready again without a restart');
});

t.test('PostgreSQL restarted: the service answers 503 meanwhile and recovers without a restart', async (t) => {
  const postgres = await startPrivatePostgres();
  t.teardown(() => postgres.stop());
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query('create extension if not exists pg_trgm');
  await admin.end();

  const registration = await buildRegistration(t, { env: { DATABASE_URL: postgres.url } });
  const token = registration.token(['seekers:write', 'seekers:read']);
  const first = await post(registration.app, '/v1/job-seekers', token, seekerPayload(301));
  t.equal(first.statusCode, 201);

  await postgres.stopServer();
  const down = await registration.app.inject({ url: `/v1/job-seekers/${first.json().id}`, headers: { authorization: `Bearer ${token}` } });
  t.equal(down.statusCode, 503, 'reads answer 503 while Postgres is down');
  t.equal(down.json().code, 'unavailable');
  const write = await post(registration.app, '/v1/job-seekers', token, seekerPayload(302));
  t.equal(write.statusCode, 503, 'writes answer 503 and store nothing');
  t.equal((await registration.app.inject({ url: '/ready' })).statusCode, 503);

  await postgres.startServer();
  const back = await eventually(async () => {
    const res = await registration.app.inject({ url: `/v1/job-seekers/${first.json().id}`, headers: { authorization: `Bearer ${token}` } });
    return res.statusCode === 200 ? res : undefined;
  }, 15_000, 200);
  t.equal(back.json().id, first.json().id, 'the same process serves again');
  const again = await post(registration.app, '/v1/job-seekers', token, seekerPayload(302));
  t.equal(again.statusCode, 201, 'the write refused during the outage succeeds now');
});
