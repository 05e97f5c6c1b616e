import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { allowLongStatements, retryOnConflict } from '@reemploy/db';
import type { AuditedRecord, AuditedRequest, Caller } from '@reemploy/http-kit';
import { cityDate } from '@reemploy/domain';
import type { RegistrationContext } from '../context.ts';
import type { RegistrationDB } from '../database.ts';
import { communityCodesUnder } from '../regions/repository.ts';
import { readRows, type RawRow } from './parse.ts';
import { PreparerPool } from './preparers.ts';
import { prepareBatch, type PreparedResult } from './rows.ts';
import { MAX_IMPORT_ROWS, type ImportReport, type ImportRowReport } from './schemas.ts';
import { assertBudgetLeft, budgetLeft, recordRegisteredElsewhere, registeredElsewhereMetric } from '../job-seekers/registered-elsewhere.ts';
import { createStaging, storeChunk, type Chunk, type ImportState, type RowOutcome } from './store.ts';

/** Rows per transaction: one COPY and a few set-based statements each. */
const CHUNK = 5000;
/** Rows per message to a preparing worker. */
const BATCH = 500;
/** Uploads declared smaller than this are prepared on the main thread: starting the workers would cost more. */
export const INLINE_BYTES = 256 * 1024;

const pools = new WeakMap<RegistrationContext, PreparerPool>();

/** The service's preparing workers, started on the first import. */
function preparers(ctx: RegistrationContext): PreparerPool {
  let pool = pools.get(ctx);
  if (!pool) {
    pool = new PreparerPool(ctx.secrets);
    pools.set(ctx, pool);
  }
  return pool;
}

export async function closePreparers(ctx: RegistrationContext) {
  await pools.get(ctx)?.close();
  pools.delete(ctx);
}

/** The preparation of a small upload, on this thread, behind the same interface as the workers'. */
function inPlace(ctx: RegistrationContext, caller: Caller, communities: Set<string>, now: Date) {
  const c = { caller, pii: ctx.pii, communities, now, today: cityDate(now), femaleRetirementScheme: ctx.env.DEFAULT_FEMALE_RETIREMENT_SCHEME };
  return { prepare: async (rows: RawRow[]) => prepareBatch(rows, c) };
}

/** What a row after the cut is told: the same for every row, whatever it holds. */
const NOT_PROCESSED = {
  field: 'row',
  message: 'not processed: this upload reached the limit of answers about people registered outside your regions; send this row and the ones after it again later',
};

/** The upload stopped revealing at this line (see storeChunkRetrying). */
class BudgetReached extends Error {
  constructor(readonly line: number) {
    super(`the budget of answers about people registered elsewhere ends before line ${line}`);
  }
}

/** The chunk's rows before a line. */
function before(chunk: Chunk, line: number): Chunk {
  const keep = chunk.solo.map((r) => r.line < line);
  return { solo: chunk.solo.filter((_, i) => keep[i]), copy: chunk.copy.filter((_, i) => keep[i]), households: chunk.households.filter((r) => r.line < line) };
}

/**
 * Runs `work` on a connection taken from the pool for it alone, with a Kysely bound to that
 * connection (so its transaction and a raw COPY share it), and gives the connection back.
 */
async function onConnection<T>(ctx: RegistrationContext, work: (client: pg.PoolClient, db: Kysely<RegistrationDB>) => Promise<T>): Promise<T> {
  const client = await ctx.database.pool.connect();
  const single = { query: client.query.bind(client), release: () => undefined } as unknown as pg.PoolClient;
  const db = new Kysely<RegistrationDB>({ dialect: new PostgresDialect({ pool: { connect: async () => single, end: async () => undefined } as unknown as pg.Pool }) });
  let failed: Error | undefined;
  try {
    return await work(client, db);
  } catch (err) {
    failed = err as Error;
    throw err;
  } finally {
    // A connection that failed mid-chunk is discarded rather than returned with a transaction open.
    client.release(failed);
  }
}

/**
 * One chunk in one transaction, on a connection taken once the chunk is
 * ready and given back when it is stored: an import holds no connection while
 * it waits for its upload. A chunk is a batch step (its own statement timeout).
 * Should Postgres break a deadlock with a concurrent writer (another import, a
 * household change) by aborting this transaction, nothing of it was stored:
 * the chunk runs again, with the upload's memory of household keys as it was
 * before the attempt.
 *
 * The rows that found their person registered outside the caller's regions are
 * audited in the same transaction, up to what is left of the caller's budget
 * (registered-elsewhere.ts). A chunk with more of them is undone and stored
 * again without the row beyond the budget and the rows after it: the upload
 * stops there (`state.cutAt`), and those rows are reported not processed.
 */
async function storeChunkRetrying(ctx: RegistrationContext, chunk: Chunk, state: ImportState): Promise<RowOutcome[]> {
  const lines = [...chunk.solo.map((r) => r.line), ...chunk.households.map((r) => r.line)];
  const notProcessed = (from: number): RowOutcome[] => lines.filter((line) => line >= from).map((line) => ({ line, status: 'failed', errors: [NOT_PROCESSED] }));
  if (state.cutAt !== undefined) return notProcessed(state.cutAt);
  const keys = new Map(state.keys);
  const attributes = new Map(state.attributes);
  for (;;) {
    try {
      const outcomes = await retryOnConflict(() => {
        state.keys = new Map(keys);
        state.attributes = new Map(attributes);
        return onConnection(ctx, (client, db) =>
          db.transaction().execute(async (trx) => {
            await allowLongStatements(trx, ctx.env.DB_BATCH_STATEMENT_TIMEOUT_MS);
            await createStaging(client);
            const left = await budgetLeft(trx, ctx, state.caller, 'import', false);
            const outcomes = await storeChunk(client, trx, chunk, state);
            const elsewhere = outcomes.filter((o) => o.status === 'failed' && o.elsewhere).sort((a, b) => a.line - b.line);
            if (elsewhere.length > left) throw new BudgetReached(elsewhere[left]!.line);
            await recordRegisteredElsewhere(trx, state.by, elsewhere.map((o) => (o as { elsewhere: AuditedRecord }).elsewhere));
            return outcomes;
          }),
        );
      });
      const revealed = outcomes.filter((o) => o.status === 'failed' && o.elsewhere).length;
      if (revealed) registeredElsewhereMetric(ctx).inc({ channel: 'import', outcome: 'answered' }, revealed);
      // The person found elsewhere is audited, never reported.
      const reported = outcomes.map((o): RowOutcome => (o.status === 'failed' ? { line: o.line, status: o.status, errors: o.errors } : o));
      return state.cutAt === undefined ? reported : [...reported, ...notProcessed(state.cutAt)];
    } catch (err) {
      if (!(err instanceof BudgetReached)) throw err;
      state.cutAt = err.line;
      chunk = before(chunk, err.line);
    }
  }
}

/**
 * Streams an upload into the register. The main thread reads rows and hands
 * them in batches to worker threads (validation, hashing, encryption,
 * derivation); prepared rows are stored a chunk per transaction, one chunk
 * written while the next is prepared. Every row gets a line in the report;
 * the same file uploaded again reports each row unchanged and stores nothing.
 */
export async function importJobSeekers(ctx: RegistrationContext, caller: Caller, by: AuditedRequest, stream: Readable, contentType: string, declaredBytes?: number): Promise<ImportReport> {
  await assertBudgetLeft(ctx, caller, 'import');
  const now = new Date();
  const rows = readRows(stream, contentType, ctx.env.IMPORT_BODY_LIMIT);
  const communities = await communityCodesUnder(ctx.db, caller.regions);
  const importId = randomUUID();
  const state: ImportState = { importId, caller, by, pii: ctx.pii, offerHours: ctx.env.ZERO_EMPLOYMENT_OFFER_HOURS, now, today: cityDate(now), keys: new Map(), attributes: new Map() };
  const inline = declaredBytes !== undefined && declaredBytes < INLINE_BYTES;
  const session = inline ? inPlace(ctx, caller, communities, now) : preparers(ctx).begin(caller.regions, [...communities], now, ctx.env.DEFAULT_FEMALE_RETIREMENT_SCHEME);
  const report: ImportRowReport[] = [];
  // One chunk is written while the next is prepared: Postgres, the workers and the event loop overlap.
  let writing: Promise<void> = Promise.resolve();
  try {
    const firstLine = new Map<string, number>();
    let chunk: Chunk = { solo: [], copy: [], households: [] };
    let size = 0;
    const flush = async () => {
      if (!size) return;
      const current = chunk;
      chunk = { solo: [], copy: [], households: [] };
      size = 0;
      await writing;
      writing = storeChunkRetrying(ctx, current, state).then((outcomes) => void report.push(...outcomes));
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
  } finally {
    // An upload that broke off still lets the chunk being written finish before the answer goes.
    await writing.catch(() => undefined);
  }
  // Every row from the cut on is told the same, whatever became of it (stored rows all lie before it).
  const cut = state.cutAt;
  if (cut !== undefined) for (const [i, r] of report.entries()) if (r.line >= cut) report[i] = { line: r.line, status: 'failed', errors: [NOT_PROCESSED] };
  report.sort((a, b) => a.line - b.line);
  const tally = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  for (const r of report) tally[r.status] += 1;
  return { rows: report.length, ...tally, report };
}
