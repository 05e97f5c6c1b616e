import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { csvRecordTooLong, MAX_IMPORT_LINE_BYTES, Problem, problems, type Caller, type FieldError } from '@reemploy/http-kit';
import type { AssistanceBasesContext } from '../context.ts';
import { assertCityCaller } from '../tenancy.ts';
import { createAidBaseBody } from './schemas.ts';
import { registerBase } from './service.ts';

export const CSV_COLUMNS = ['name', 'communityCode', 'address', 'sectors', 'joinedYear', 'cohort'] as const;
export const MAX_IMPORT_ROWS = 2000;

export const importRowResult = z.object({
  line: z.int().describe('Line of the file (the header is line 1)'),
  status: z.enum(['created', 'duplicate', 'rejected']),
  id: z.uuid().optional().describe('The base created'),
  existingId: z.uuid().optional().describe('The base already registered under this name'),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export const importReport = z
  .object({ rows: z.int(), created: z.int(), duplicates: z.int(), rejected: z.int(), results: z.array(importRowResult) })
  .meta({ id: 'AidBaseImportReport' });
type ImportReport = z.infer<typeof importReport>;
type RowResult = z.infer<typeof importRowResult>;

/** Sectors in one cell: separated by ; | or the Chinese enumeration comma. */
function splitSectors(cell: string): string[] {
  return cell
    .split(/[;|、]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

function parseCsv(text: string): CsvRecord[] {
  try {
    return parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, info: true, max_record_size: MAX_IMPORT_LINE_BYTES }) as unknown as CsvRecord[];
  } catch (err) {
    throw csvRecordTooLong(err) ?? problems.field('body', `is not readable CSV: ${(err as Error).message.split('\n')[0]?.slice(0, 120)}`);
  }
}

/** The header names the columns, in any order and case; every column is required. */
function columnIndex(header: string[]): Map<string, number> {
  const byLower = new Map(header.map((h, i) => [h.trim().toLowerCase(), i]));
  const index = new Map<string, number>();
  const missing: FieldError[] = [];
  for (const col of CSV_COLUMNS) {
    const i = byLower.get(col.toLowerCase());
    if (i === undefined) missing.push({ field: `body.header.${col}`, message: 'column is missing' });
    else index.set(col, i);
  }
  if (missing.length) throw problems.validation(missing, `The first line must name the columns ${CSV_COLUMNS.join(',')}`);
  return index;
}

async function importRow(ctx: AssistanceBasesContext, caller: Caller, line: number, cells: Record<string, string>): Promise<RowResult> {
  const year = cells.joinedYear ?? '';
  const parsed = createAidBaseBody.safeParse({
    ...cells,
    sectors: splitSectors(cells.sectors ?? ''),
    joinedYear: /^\d{1,4}$/.test(year) ? Number(year) : year,
  });
  if (!parsed.success) {
    return { line, status: 'rejected', errors: parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'row'), message: i.message })) };
  }
  try {
    const row = await registerBase(ctx, caller, parsed.data, (f) => f);
    return { line, status: 'created', id: row.id };
  } catch (err) {
    if (!(err instanceof Problem)) throw err;
    if (err.code === 'duplicate') return { line, status: 'duplicate', existingId: String(err.extra.existingId) };
    return { line, status: 'rejected', errors: err.errors ?? [{ field: 'row', message: err.detail ?? err.title }] };
  }
}

/**
 * Imports bases from CSV, row by row: each row is created, reported as a
 * duplicate of the base already holding its name, or rejected with its fields
 * named. A bad row never stops the others.
 */
export async function importBases(ctx: AssistanceBasesContext, caller: Caller, text: string): Promise<ImportReport> {
  assertCityCaller(caller);
  const records = parseCsv(text);
  const [header, ...rows] = records;
  if (!header) throw problems.field('body', 'is empty; send a header line and at least one row');
  const index = columnIndex(header.record);
  if (rows.length === 0) throw problems.field('body', 'has a header but no rows');
  if (rows.length > MAX_IMPORT_ROWS) throw problems.field('body', `has ${rows.length} rows; at most ${MAX_IMPORT_ROWS} per import`);
  const results: RowResult[] = [];
  for (const { record, info } of rows) {
    const cells = Object.fromEntries(CSV_COLUMNS.map((col) => [col, record[index.get(col)!] ?? '']));
    results.push(await importRow(ctx, caller, info.lines, cells));
  }
  return {
    rows: rows.length,
    created: results.filter((r) => r.status === 'created').length,
    duplicates: results.filter((r) => r.status === 'duplicate').length,
    rejected: results.filter((r) => r.status === 'rejected').length,
    results,
  };
}
