import { sql, type Kysely, type Transaction } from 'kysely';
import type pg from 'pg';
import { isTransactionConflict } from './errors.ts';

/**
 * Runs `fn` in a transaction on one pooled connection (for COPY and other
 * work on the raw client): committed when it returns, rolled back when it
 * throws, the connection released either way.
 */
export async function inClientTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Runs `attempt` again when Postgres aborted it to break a deadlock or a
 * serialization conflict with a concurrent writer: nothing of the aborted
 * attempt was stored, so running it again is safe as long as everything it
 * changes lives in the transaction. Waits a short random while between tries
 * so that the two writers do not meet again at once; after the last try the
 * conflict is thrown (the HTTP layer answers it with 503 and Retry-After).
 */
export async function retryOnConflict<T>(attempt: () => Promise<T>, attempts = 4): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (n >= attempts || !isTransactionConflict(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * n));
    }
  }
}

/** A Kysely transaction, run again on a deadlock or serialization conflict (see retryOnConflict). */
export function transact<DB, T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>, attempts?: number): Promise<T> {
  return retryOnConflict(() => db.transaction().execute(fn), attempts);
}

/**
 * A batch step (a COPY of a whole table, a nightly pass over every seeker)
 * opts in to a longer statement timeout than the pool's: `ms` (0: none) for
 * the rest of the current transaction only, as SET LOCAL does.
 */
export async function allowLongStatements<DB>(db: Transaction<DB> | pg.ClientBase, ms: number): Promise<void> {
  const value = String(Math.trunc(ms));
  if ('query' in db) await db.query("select set_config('statement_timeout', $1, true)", [value]);
  else await sql`select set_config('statement_timeout', ${value}, true)`.execute(db);
}
