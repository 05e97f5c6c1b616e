/**
 * Every Postgres session of a service carries a statement timeout and an
 * idle-in-transaction timeout (DB_STATEMENT_TIMEOUT_MS,
 * DB_IDLE_IN_TRANSACTION_TIMEOUT_MS): a runaway statement is cancelled and a
 * forgotten transaction ended, so neither holds a connection. Batch steps opt in
 * to longer statements for their own transaction; migrations lift the limit.
 */
import t from 'tap';
import pg from 'pg';
import { sql } from 'kysely';
import { allowLongStatements, copyOutText, transact } from '@reemploy/db';
import { TEST_DATABASE_URL } from '@reemploy/runtime/testing';
import { build as buildRegistration } from '../services/registration/test/helper.ts';
import { post, seekerPayload } from './helper.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A connection of the test's own, outside every pool and its limits. */
async function outsider(t: { teardown(fn: () => unknown): void }) {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  t.teardown(() => client.end().catch(() => undefined));
  return client;
}

t.test('each session of the pool carries the limits the environment sets', async (t) => {
  const svc = await buildRegistration(t, { env: { DB_STATEMENT_TIMEOUT_MS: '1500', DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '2500' } });
  const { rows } = await sql<{ statement: string; idle: string }>`
    select current_setting('statement_timeout') as statement, current_setting('idle_in_transaction_session_timeout') as idle`.execute(svc.ctx.db);
  t.same(rows[0], { statement: '1500ms', idle: '2500ms' });
});

t.test('a runaway statement is cancelled at the timeout and the request answers 503, not 500', async (t) => {
  const svc = await buildRegistration(t, { env: { DB_STATEMENT_TIMEOUT_MS: '400' } });
  const token = svc.token(['seekers:write', 'seekers:read']);
  const created = await post(svc.app, '/v1/job-seekers', token, seekerPayload(1));
  t.equal(created.statusCode, 201);

  // Another session holds the table: the read waits for it, as behind a runaway writer.
  const holder = await outsider(t);
  await holder.query('begin');
  await holder.query(`lock table ${svc.ctx.database.schema}.job_seekers in access exclusive mode`);
  const released = sleep(5000).then(() => holder.query('rollback'));
  const started = Date.now();
  const read = await svc.app.inject({ url: `/v1/job-seekers/${created.json().id}`, headers: { authorization: `Bearer ${token}` } });
  const waited = Date.now() - started;
  t.equal(read.statusCode, 503, read.body);
  t.equal(read.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.ok(read.headers['retry-after'], 'Retry-After set');
  t.ok(waited < 2500, `cancelled after ${waited} ms, not when the lock went`);
  await released;

  await t.rejects(sql`select pg_sleep(2)`.execute(svc.ctx.db), { code: '57014' }, 'any statement past the limit is cancelled');
  const { rows } = await sql<{ one: number }>`select 1 as one`.execute(svc.ctx.db);
  t.equal(rows[0]?.one, 1, 'the pool serves on');
});

t.test('a transaction left idle is ended by Postgres, and the pool recovers', async (t) => {
  const svc = await buildRegistration(t, { env: { DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '300' } });
  let pid = 0;
  await t.rejects(
    svc.ctx.db.transaction().execute(async (trx) => {
      pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid;
      await sleep(1000);
      await sql`select 1`.execute(trx);
    }),
    'the transaction cannot go on after idling past the limit',
  );
  const holder = await outsider(t);
  const { rows } = await holder.query('select count(*)::int as n from pg_stat_activity where pid = $1', [pid]);
  t.equal(rows[0].n, 0, 'its session is gone, and its locks with it');
  const again = await sql<{ one: number }>`select 1 as one`.execute(svc.ctx.db);
  t.equal(again.rows[0]?.one, 1, 'the pool serves on with another connection');
});

t.test('a batch step opts in to longer statements for its own transaction only', async (t) => {
  const svc = await buildRegistration(t, { env: { DB_STATEMENT_TIMEOUT_MS: '300' } });
  await t.rejects(sql`select pg_sleep(0.6)`.execute(svc.ctx.db), { code: '57014' }, 'the pool\'s limit');
  await t.resolves(
    transact(svc.ctx.db, async (trx) => {
      await allowLongStatements(trx, 5000);
      await sql`select pg_sleep(0.6)`.execute(trx);
    }),
    'a transaction that opted in',
  );
  await t.resolves(copyOutText(svc.ctx.database.pool, 'select pg_sleep(0.6)', 5000), 'a COPY read that opted in');
  await t.rejects(copyOutText(svc.ctx.database.pool, 'select pg_sleep(0.6)'), { code: '57014' }, 'one that did not');
  const settings = await Promise.all([1, 2, 3].map(() => sql<{ s: string }>`select current_setting('statement_timeout') as s`.execute(svc.ctx.db)));
  t.same(settings.map((r) => r.rows[0]?.s), ['300ms', '300ms', '300ms'], 'the connections went back to the pool with its limit');
});

t.test('migrations wait for the schema lock and run without the statement limit', async (t) => {
  const holder = await outsider(t);
  await holder.query(`select pg_advisory_lock(hashtext('reemploy schema ddl'))`);
  const released = sleep(1000).then(() => holder.query(`select pg_advisory_unlock(hashtext('reemploy schema ddl'))`));
  const svc = await buildRegistration(t, { env: { DB_STATEMENT_TIMEOUT_MS: '300' } });
  await released;
  t.equal((await svc.app.inject({ url: '/health' })).statusCode, 200, 'the service migrated after waiting longer than a statement may run');
});
