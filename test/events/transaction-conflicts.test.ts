/**
 * Two writers that take the same two rows in opposite orders deadlock;
 * Postgres aborts one of them. `transact` runs the aborted one again, so both
 * land; a conflict that outlives the tries is answered 503 with Retry-After,
 * never 500.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { sql, type Kysely, type Transaction } from 'kysely';
import { createDatabase, transact } from '@reemploy/db';
import { isTemporaryFailure } from '@reemploy/http-kit';
import { handleError } from '@reemploy/http-kit/errors';
import { TEST_DATABASE_URL } from '@reemploy/runtime/testing';

interface DB {
  counters: { id: string; n: number };
}

async function setup(t: { teardown(fn: () => unknown): void }) {
  const schema = `conflicts_${randomBytes(4).toString('hex')}`;
  const database = createDatabase<DB>({ url: TEST_DATABASE_URL, schema, poolMax: 4 });
  await sql`create schema ${sql.id(schema)}`.execute(database.db);
  await sql`create table ${sql.id(schema, 'counters')} (id text primary key, n int not null)`.execute(database.db);
  await database.db.insertInto('counters').values([{ id: 'a', n: 0 }, { id: 'b', n: 0 }]).execute();
  t.teardown(async () => {
    await sql`drop schema ${sql.id(schema)} cascade`.execute(database.db);
    await database.close();
  });
  return database.db;
}

/** Both writers hold their first row before either asks for its second: a certain deadlock. */
function opposingWriters(db: Kysely<DB>, attempts: number) {
  let holding = 0;
  let release!: () => void;
  const bothHold = new Promise<void>((resolve) => (release = resolve));
  const runs = { ab: 0, ba: 0 };
  const bump = (trx: Transaction<DB>, id: string) => trx.updateTable('counters').set({ n: sql`n + 1` }).where('id', '=', id).execute();
  const writer = (first: 'a' | 'b', second: 'a' | 'b', name: 'ab' | 'ba') =>
    transact(
      db,
      async (trx) => {
        runs[name] += 1;
        await bump(trx, first);
        if (runs[name] === 1 && ++holding === 2) release();
        if (runs[name] === 1) await bothHold;
        await bump(trx, second);
      },
      attempts,
    );
  return { runs, both: Promise.allSettled([writer('a', 'b', 'ab'), writer('b', 'a', 'ba')]) };
}

t.test('a deadlock between two writers: the aborted one runs again and both land', async (t) => {
  const db = await setup(t);
  const { runs, both } = opposingWriters(db, 4);
  const results = await both;
  t.same(results.map((r) => r.status), ['fulfilled', 'fulfilled']);
  t.equal(runs.ab + runs.ba, 3, 'one writer ran twice');
  const rows = await db.selectFrom('counters').select(['id', 'n']).orderBy('id').execute();
  t.same(rows, [{ id: 'a', n: 2 }, { id: 'b', n: 2 }], 'each writer counted once: the aborted try left nothing');
});

t.test('without a second try the same race loses a writer to 40P01', async (t) => {
  const db = await setup(t);
  const results = await opposingWriters(db, 1).both;
  const failed = results.filter((r) => r.status === 'rejected');
  t.equal(failed.length, 1);
  t.equal(((failed[0] as PromiseRejectedResult).reason as { code?: string }).code, '40P01');

  // Through the HTTP layer such a conflict is a 503 to retry, not a 500.
  const app = Fastify();
  app.setErrorHandler((err, request, reply) => handleError(err, request, reply, isTemporaryFailure));
  app.get('/x', async () => {
    throw (failed[0] as PromiseRejectedResult).reason;
  });
  const res = await app.inject('/x');
  t.equal(res.statusCode, 503);
  t.equal(res.headers['retry-after'], '1');
  t.match(res.headers['content-type'], /application\/problem\+json/);
  await app.close();
});
