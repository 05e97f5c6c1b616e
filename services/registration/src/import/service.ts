import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { retryOnConflict } from '@reemploy/db';
import type { Caller } from '@reemploy/http-kit';
import type { ServiceContext } from '@reemploy/runtime';
import type { RegistrationEnv } from '../config.ts';
import type { RegistrationDB } from '../database.ts';
import { communityCodesUnder } from '../regions/repository.ts';
import { readRows, type RawRow } from './parse.ts';
import { PreparerPool } from './preparers.ts';
import { prepareBatch, cityToday, type PreparedResult } from './rows.ts';
import { MAX_IMPORT_ROWS, type ImportReport, type ImportRowReport } from './schemas.ts';
import { createStaging, dropStaging, storeChunk, type Chunk, type ImportState } from './store.ts';

type Ctx = ServiceContext<RegistrationDB, RegistrationEnv>;

/** Rows per transaction: one COPY and a few set-based statements each. */
const CHUNK = 5000;
/** Rows per message to a preparing worker. */
const BATCH = 500;
/** Uploads declared smaller than this are prepared on the main thread: starting the workers would cost more. */
export const INLINE_BYTES = 256 * 1024;

const pools = new WeakMap<Ctx, PreparerPool>();

/** The service's preparing workers, started on the first import. */
function preparers(ctx: Ctx): PreparerPool {
  let pool = pools.get(ctx);
  if (!pool) {
    pool = new PreparerPool(ctx.secrets);
    pools.set(ctx, pool);
  }
  return pool;
}

export async function closePreparers(ctx: Ctx) {
  await pools.get(ctx)?.close();
  pools.delete(ctx);
}

/** The preparation of a small upload, on this thread, behind the same interface as the workers'. */
function inPlace(ctx: Ctx, caller: Caller, communities: Set<string>, now: Date) {
  const c = { caller, pii: ctx.pii, communities, now, today: cityToday(now) };
  return { prepare: async (rows: RawRow[]) => prepareBatch(rows, c), end: () => undefined };
}

/** A Kysely bound to one checked-out connection, so its transactions and a raw COPY share it. */
function onConnection(client: pg.PoolClient): Kysely<RegistrationDB> {
  const single = { query: client.query.bind(client), release: () => undefined } as unknown as pg.PoolClient;
  return new Kysely<RegistrationDB>({ dialect: new PostgresDialect({ pool: { connect: async () => single, end: async () => undefined } as unknown as pg.Pool }) });
}

/**
 * Streams an upload into the register. The main thread reads rows and hands
 * them in batches to worker threads (validation, hashing, encryption,
 * derivation); prepared rows are stored a chunk per transaction, one chunk
 * written while the next is prepared. Every row gets a line in the report;
 * the same file uploaded again reports each row unchanged and stores nothing.
 */

/**
 * One chunk in one transaction. Should Postgres break a deadlock with a
 * concurrent writer (another import, a household change) by aborting this
 * transaction, nothing of it was stored: the chunk runs again, with the
 * upload's memory of household keys as it was before the attempt.
 */
async function storeChunkRetrying(db: ReturnType<typeof onConnection>, client: pg.PoolClient, chunk: Chunk, state: ImportState) {
  const keys = new Map(state.keys);
  const attributes = new Map(state.attributes);
  return retryOnConflict(() => {
    state.keys = new Map(keys);
    state.attributes = new Map(attributes);
    return db.transaction().execute((trx) => storeChunk(client, trx, chunk, state));
  });
}

export async function importJobSeekers(ctx: Ctx, caller: Caller, stream: Readable, contentType: string, declaredBytes?: number): Promise<ImportReport> {
  const now = new Date();
  const rows = readRows(stream, contentType, ctx.env.IMPORT_BODY_LIMIT);
  const communities = await communityCodesUnder(ctx.db, caller.regions);
  const importId = randomUUID();
  const state: ImportState = { importId, pii: ctx.pii, caller, offerHours: ctx.env.ZERO_EMPLOYMENT_OFFER_HOURS, now, today: cityToday(now), keys: new Map(), attributes: new Map() };
  const inline = declaredBytes !== undefined && declaredBytes < INLINE_BYTES;
  const session = inline ? inPlace(ctx, caller, communities, now) : preparers(ctx).begin(importId, caller.regions, [...communities], now);
  const client = await ctx.database.pool.connect();
  const db = onConnection(client);
  let broken: Error | undefined;
  const report: ImportRowReport[] = [];
  try {
    await createStaging(client);
    const firstLine = new Map<string, number>();
    let chunk: Chunk = { solo: [], copy: [], households: [] };
    let size = 0;
    // One chunk is written while the next is prepared: Postgres, the workers and the event loop overlap.
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      if (!size) return;
      const current = chunk;
      chunk = { solo: [], copy: [], households: [] };
      size = 0;
      await writing;
      writing = storeChunkRetrying(db, client, current, state).then((outcomes) => void report.push(...outcomes));
      // Awaited at the next flush; observed now so a failure is not an unhandled rejection meanwhile.
      writing.catch(() => undefined);
    };
    const accept = async (results: PreparedResult[]) => {
      for (const r of results) {
        if ('errors' in r) {
          report.push({ line: r.line, status: 'failed', errors: r.errors });
          continue;
        }
        const earlier = firstLine.get(r.hash);
        if (earlier !== undefined) {
          report.push({ line: r.line, status: 'failed', errors: [{ field: 'idNumber', message: `the same person as line ${earlier}` }] });
          continue;
        }
        firstLine.set(r.hash, r.line);
        if ('copy' in r) {
          chunk.solo.push({ line: r.line, hash: r.hash });
          chunk.copy.push(r.copy);
        } else {
          chunk.households.push(r.row);
        }
        size += 1;
      }
      if (size >= CHUNK) await flush();
    };

    // Batches in flight to the workers, in file order; enough to keep every worker busy.
    const inflight: Promise<PreparedResult[]>[] = [];
    const send = (batch: RawRow[]) => {
      const p = session.prepare(batch);
      p.catch(() => undefined);
      inflight.push(p);
    };
    let batch: RawRow[] = [];
    let count = 0;
    for await (const raw of rows) {
      count += 1;
      if (count > MAX_IMPORT_ROWS) {
        report.push({ line: raw.line, status: 'failed', errors: [{ field: 'row', message: `beyond the limit of ${MAX_IMPORT_ROWS} rows per upload` }] });
        continue;
      }
      batch.push(raw);
      if (batch.length < BATCH) continue;
      send(batch);
      batch = [];
      if (inflight.length >= 4) await accept(await inflight.shift()!);
    }
    if (batch.length) send(batch);
    while (inflight.length) await accept(await inflight.shift()!);
    await flush();
    await writing;
  } catch (err) {
    broken = err as Error;
    throw err;
  } finally {
    session.end();
    try {
      if (!broken) await dropStaging(client);
    } finally {
      // A connection that failed mid-import is discarded rather than returned with a transaction open.
      client.release(broken);
    }
  }
  report.sort((a, b) => a.line - b.line);
  const tally = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  for (const r of report) tally[r.status] += 1;
  return { rows: report.length, ...tally, report };
}
