import { writeFile, rm } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import { spreadsheetCsv } from '@reemploy/csv';
import { ApiError, callJson } from './http.ts';
import { createProgress, type Progress } from './progress.ts';
import { readTable, type Table } from './read-rows.ts';

export type ImportKind = 'seekers' | 'vacancies';

export const IMPORT_ROUTES: Record<ImportKind, string> = {
  seekers: '/v1/job-seekers/import',
  vacancies: '/v1/vacancies/import',
};

interface RowReport {
  line: number;
  status: string;
  id?: string;
  existingId?: string;
  errors?: { field: string; message: string }[];
}

export interface ImportOptions {
  kind: ImportKind;
  file: string;
  baseUrl: string;
  token: string;
  /** Rows per request. */
  batchSize?: number;
  progress?: Progress;
}

export interface ImportSummary {
  rows: number;
  /** Rows by the status the service reported: created, updated, unchanged, duplicate, failed. */
  statuses: Record<string, number>;
  failed: number;
  /** The per-row error file, when some row failed. */
  errorFile: string | null;
}

interface Batch {
  rows: number[];
  body: string;
  contentType: string;
}

function* batches(table: Table, size: number): Generator<Batch> {
  for (let i = 0; i < table.rows.length; i += size) {
    if (table.format === 'csv') {
      const slice = table.rows.slice(i, i + size);
      // The cells as they are: the service reads them as data (the error file is for people, below).
      const body = stringify([table.header, ...slice.map((r) => r.cells)]);
      yield { rows: slice.map((r) => r.row), body, contentType: 'text/csv; charset=utf-8' };
    } else {
      const slice = table.rows.slice(i, i + size);
      yield { rows: slice.map((r) => r.row), body: slice.map((r) => r.line).join('\n') + '\n', contentType: 'application/x-ndjson' };
    }
  }
}

const describe = (errors: RowReport['errors']) => (errors ?? []).map((e) => `${e.field}: ${e.message}`).join('; ');

/**
 * Sends a CSV, XLSX or NDJSON file to the service's import route in batches
 * and writes `<file>.errors.csv` (row, errors) for the rows that failed. Row
 * numbers are the file's: the header is row 1 of a CSV or sheet. Both import
 * routes recognise rows they already hold, so rerunning a file after an
 * interruption imports nothing twice and reports those rows as such.
 */
export async function importFile(opts: ImportOptions): Promise<ImportSummary> {
  const table = await readTable(opts.file);
  const progress = opts.progress ?? createProgress();
  const url = `${opts.baseUrl}${IMPORT_ROUTES[opts.kind]}`;
  const statuses: Record<string, number> = {};
  const failures: { row: number; errors: string }[] = [];
  let done = 0;
  progress.start(table.rows.length, `import ${opts.kind}`);
  try {
    for (const batch of batches(table, opts.batchSize ?? 1000)) {
      let reports: RowReport[];
      try {
        const result = await callJson<{ report: RowReport[] }>(url, {
          method: 'POST',
          token: opts.token,
          body: batch.body,
          contentType: batch.contentType,
        });
        reports = result.report;
      } catch (err) {
        // A refused token or route stops everything; anything else fails this batch's rows only.
        if (err instanceof ApiError && [401, 403, 404].includes(err.status)) throw err;
        const message = err instanceof ApiError ? (err.problem?.detail ?? err.message) : (err as Error).message;
        reports = batch.rows.map((_, i) => ({ line: i + 2, status: 'failed', errors: [{ field: 'batch', message }] }));
      }
      // The report is one entry per row in order; its line numbers are the batch's, not the file's.
      batch.rows.forEach((row, i) => {
        const report = reports[i] ?? { line: 0, status: 'failed', errors: [{ field: 'row', message: 'no report for this row' }] };
        statuses[report.status] = (statuses[report.status] ?? 0) + 1;
        if (report.status === 'failed') failures.push({ row, errors: describe(report.errors) || 'failed' });
      });
      done += batch.rows.length;
      progress.update(done, `${statuses.failed ?? 0} failed`);
    }
  } finally {
    progress.stop();
  }
  const errorFile = `${opts.file}.errors.csv`;
  if (failures.length) {
    // Opened in a spreadsheet: the messages repeat the file's own column names, which may look like formulas.
    await writeFile(errorFile, spreadsheetCsv([['row', 'errors'], ...failures.map((f) => [f.row, f.errors])]), 'utf8');
  } else {
    // A stale error file from an earlier run would mislead.
    await rm(errorFile, { force: true });
  }
  return { rows: table.rows.length, statuses, failed: failures.length, errorFile: failures.length ? errorFile : null };
}
