import type pg from 'pg';

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
