import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { Problem, csvRecordTooLong, findBadStrings, lineTooLong, MAX_IMPORT_LINE_BYTES, problems, type Caller } from '@reemploy/http-kit';
import type { JobPostingsContext } from '../context.ts';
import { createVacancyBody } from './schemas.ts';
import { createVacancy } from './service.ts';

export const IMPORT_CONTENT_TYPES = ['application/x-ndjson', 'application/ndjson', 'text/csv'] as const;

const NUMBER_FIELDS = new Set(['minAge', 'maxAge', 'wageMin', 'wageMax', 'headcount']);
const LIST_FIELDS = new Set(['skills', 'reservedFor']);

export const importRowReport = z.object({
  line: z.int().describe('Line of the file (a CSV header is line 1)'),
  status: z.enum(['created', 'duplicate', 'failed']),
  id: z.uuid().optional().describe('The vacancy created'),
  existingId: z.uuid().optional().describe('The open vacancy this row duplicates'),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export const importReport = z
  .object({
    rows: z.int(),
    created: z.int(),
    duplicates: z.int(),
    failed: z.int(),
    report: z.array(importRowReport).describe('One entry per row, in file order'),
  })
  .meta({ id: 'VacancyImportReport' });
type ImportReport = z.infer<typeof importReport>;
type RowReport = z.infer<typeof importRowReport>;

interface RawRow {
  line: number;
  value?: Record<string, unknown>;
  error?: string;
}

/** A CSV cell as the JSON value the same field takes in NDJSON; what does not read stays a string for validation to name. */
function csvValue(field: string, cell: string): unknown {
  if (cell === '') return LIST_FIELDS.has(field) ? [] : undefined;
  if (LIST_FIELDS.has(field)) return cell.split(/[;|]/).map((s) => s.trim()).filter(Boolean);
  if (NUMBER_FIELDS.has(field) && /^-?\d+(\.\d+)?$/.test(cell)) return Number(cell);
  return cell;
}

function ndjsonRows(text: string): RawRow[] {
  const rows: RawRow[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      if (Buffer.byteLength(raw) > MAX_IMPORT_LINE_BYTES) throw lineTooLong(i + 1);
      const line = raw.trim();
      if (!line) return;
      try {
        const value: unknown = JSON.parse(line);
        if (!value || typeof value !== 'object' || Array.isArray(value)) rows.push({ line: i + 1, error: 'must be a JSON object' });
        else rows.push({ line: i + 1, value: value as Record<string, unknown> });
      } catch {
        rows.push({ line: i + 1, error: 'is not valid JSON' });
      }
    });
  return rows;
}

function csvRows(text: string): RawRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, info: true, max_record_size: MAX_IMPORT_LINE_BYTES }) as never;
  } catch (err) {
    throw csvRecordTooLong(err) ?? problems.field('body', `is not readable CSV: ${(err as Error).message.split('\n')[0]?.slice(0, 120)}`);
  }
  const [header, ...rest] = records;
  if (!header) return [];
  const known = new Set(Object.keys(createVacancyBody.shape));
  const unknown = header.record.filter((h) => !known.has(h));
  if (unknown.length) throw problems.validation(unknown.map((h) => ({ field: `body.header.${h}`, message: 'is not a vacancy field' })), 'The first line must name vacancy fields');
  return rest.map(({ record, info }) => ({
    line: info.lines,
    value: Object.fromEntries(header.record.map((h, i) => [h, csvValue(h, record[i] ?? '')]).filter(([, v]) => v !== undefined)),
  }));
}

/** Postgres's class 22: the row's data, not the service, is at fault. */
function isDataException(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('22');
}

async function importRow(ctx: JobPostingsContext, caller: Caller, row: RawRow): Promise<RowReport> {
  if (row.error) return { line: row.line, status: 'failed', errors: [{ field: 'row', message: row.error }] };
  // The strict-input rules of a JSON body hold for each row too: a NUL would reach Postgres (a 500), a lone surrogate be stored as U+FFFD.
  const bad = findBadStrings(row.value, 'row');
  if (bad.length) return { line: row.line, status: 'failed', errors: bad };
  const parsed = createVacancyBody.safeParse(row.value);
  if (!parsed.success) {
    return { line: row.line, status: 'failed', errors: parsed.error.issues.map((i) => ({ field: ['row', ...i.path.map(String)].join('.'), message: i.message })) };
  }
  try {
    const created = await createVacancy(ctx, caller, parsed.data, { prefix: 'row' });
    return { line: row.line, status: 'created', id: created.id };
  } catch (err) {
    // A value Postgres refuses fails this row only: the rows after it are still imported.
    if (isDataException(err)) return { line: row.line, status: 'failed', errors: [{ field: 'row', message: 'has a value that cannot be stored' }] };
    if (!(err instanceof Problem)) throw err;
    if (err.code === 'duplicate') return { line: row.line, status: 'duplicate', existingId: String(err.extra.existingId) };
    return { line: row.line, status: 'failed', errors: err.errors ?? [{ field: 'row', message: err.detail ?? err.title }] };
  }
}

/**
 * Imports vacancies row by row, each through the same rules as POST /v1/vacancies: created,
 * reported as a duplicate of the open post it repeats, or failed with its fields named.
 * A bad row never stops the others; importing the same file again creates nothing.
 */
export async function importVacancies(ctx: JobPostingsContext, caller: Caller, text: string, type: string): Promise<ImportReport> {
  const rows = type === 'text/csv' ? csvRows(text) : ndjsonRows(text);
  if (rows.length === 0) throw problems.field('body', 'has no rows');
  if (rows.length > ctx.env.VACANCY_IMPORT_MAX_ROWS) throw problems.field('body', `has ${rows.length} rows; at most ${ctx.env.VACANCY_IMPORT_MAX_ROWS} per import`);
  const report: RowReport[] = [];
  for (const row of rows) report.push(await importRow(ctx, caller, row));
  return {
    rows: rows.length,
    created: report.filter((r) => r.status === 'created').length,
    duplicates: report.filter((r) => r.status === 'duplicate').length,
    failed: report.filter((r) => r.status === 'failed').length,
    report,
  };
}
