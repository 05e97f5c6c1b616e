import type { Readable } from 'node:stream';
import type { Caller } from '@reemploy/http-kit';
import type { ServiceContext } from '@reemploy/runtime';
import type { RegistrationEnv } from '../config.ts';
import type { RegistrationDB } from '../database.ts';
import { communityCodesUnder } from '../regions/repository.ts';
import { readRows } from './parse.ts';
import { prepareRow, todayUtc, type PreparedRow } from './rows.ts';
import { MAX_IMPORT_ROWS, type ImportReport, type ImportRowReport } from './schemas.ts';
import { storeChunk } from './store.ts';

type Ctx = ServiceContext<RegistrationDB, RegistrationEnv>;

const CHUNK = 1000;

/**
 * Streams an upload into the register: rows are validated as they arrive and
 * stored a chunk per transaction. Every row gets a line in the report; the
 * same file uploaded again reports each row unchanged and stores nothing.
 */
export async function importJobSeekers(ctx: Ctx, caller: Caller, stream: Readable, contentType: string): Promise<ImportReport> {
  const now = new Date();
  const rowContext = { caller, pii: ctx.pii, communities: await communityCodesUnder(ctx.db, caller.regions), today: todayUtc(now), now };
  const report: ImportRowReport[] = [];
  const firstLine = new Map<string, number>();
  let chunk: PreparedRow[] = [];
  // One chunk is written while the next is parsed and encrypted: Postgres and the event loop overlap.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (!chunk.length) return;
    const rows = chunk;
    chunk = [];
    await writing;
    writing = ctx.db
      .transaction()
      .execute((trx) => storeChunk(trx, rows, { offerHours: ctx.env.ZERO_EMPLOYMENT_OFFER_HOURS, now, today: rowContext.today }))
      .then((outcomes) => void report.push(...outcomes));
  };
  let count = 0;
  for await (const raw of readRows(stream, contentType, ctx.env.IMPORT_BODY_LIMIT)) {
    count += 1;
    if (count > MAX_IMPORT_ROWS) {
      report.push({ line: raw.line, status: 'failed', errors: [{ field: 'row', message: `beyond the limit of ${MAX_IMPORT_ROWS} rows per upload` }] });
      continue;
    }
    const prepared = prepareRow(raw, rowContext);
    if ('errors' in prepared) {
      report.push({ line: raw.line, status: 'failed', errors: prepared.errors });
      continue;
    }
    const earlier = firstLine.get(prepared.row.id_number_hash);
    if (earlier !== undefined) {
      report.push({ line: raw.line, status: 'failed', errors: [{ field: 'idNumber', message: `the same person as line ${earlier}` }] });
      continue;
    }
    firstLine.set(prepared.row.id_number_hash, raw.line);
    chunk.push(prepared.row);
    if (chunk.length >= CHUNK) await flush();
  }
  await flush();
  await writing;
  report.sort((a, b) => a.line - b.line);
  const tally = (s: ImportRowReport['status']) => report.filter((r) => r.status === s).length;
  return { rows: report.length, created: tally('created'), updated: tally('updated'), unchanged: tally('unchanged'), failed: tally('failed'), report };
}
