import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { activeSeekerSql, SEEKER_COLUMNS, VACANCY_INPUT_SQL } from '../src/matcher/inputs.ts';

async function copyOut(client: pg.PoolClient, query: string): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  await pipeline(
    client.query(copyTo(`copy (${query}) to stdout`)),
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        cb();
      },
    }),
  );
  return chunks;
}

/**
 * The data-movement floor of a run: read its inputs (active seekers, open
 * vacancies with their reserved posts) and write its outputs (the run's
 * recommendation rows, into a table shaped and indexed like the real one),
 * with COPY and nothing else.
 */
export async function measureFloor(pool: pg.Pool, runId: string): Promise<{ readMs: number; writeMs: number; ms: number; bytesWritten: number }> {
  const client = await pool.connect();
  try {
    const output = await copyOut(client, `select * from recommendations where run_id = '${runId}'`);
    await client.query('drop table if exists floor_recommendations');
    await client.query('create table floor_recommendations (like recommendations including all)');
    const t0 = Date.now();
    await copyOut(client, `select ${SEEKER_COLUMNS} from seekers where ${activeSeekerSql()}`);
    await copyOut(client, VACANCY_INPUT_SQL);
    const t1 = Date.now();
    const stream = client.query(copyFrom('copy floor_recommendations from stdin'));
    await pipeline(async function* () {
      yield* output;
    }, stream);
    const t2 = Date.now();
    await client.query('drop table floor_recommendations');
    return { readMs: t1 - t0, writeMs: t2 - t1, ms: t2 - t0, bytesWritten: output.reduce((n, b) => n + b.length, 0) };
  } finally {
    client.release();
  }
}
