import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';

/**
 * A file read client-side: CSV and XLSX become a header and string cells (the
 * service applies its own CSV rules to them); NDJSON stays one line per row.
 */
export type Table =
  | { format: 'csv'; header: string[]; rows: { row: number; cells: string[] }[] }
  | { format: 'ndjson'; rows: { row: number; line: string }[] };

export type FileFormat = 'csv' | 'xlsx' | 'ndjson';

export function formatOf(file: string): FileFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  throw new Error(`${file}: expected a .csv, .xlsx or .ndjson file`);
}

const blank = (cells: string[]) => cells.every((c) => c.trim() === '');

async function readCsv(file: string): Promise<Table> {
  const records = createReadStream(file).pipe(parseCsv({ bom: true, relax_column_count: true, info: true }));
  let header: string[] | null = null;
  const rows: { row: number; cells: string[] }[] = [];
  let index = 0;
  for await (const { record } of records as AsyncIterable<{ record: string[] }>) {
    index++;
    if (!header) {
      header = record.map((h) => h.trim());
      continue;
    }
    // Spreadsheet numbering: the header is row 1.
    if (!blank(record)) rows.push({ row: index, cells: record });
  }
  if (!header) throw new Error(`${file}: empty file`);
  return { format: 'csv', header, rows };
}

/** A cell's text; a date cell is a day without a time zone, which exceljs gives as that day's UTC midnight (not a city date rule). */
function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object' && 'result' in value) return value.result === undefined ? '' : String(value.result instanceof Date ? value.result.toISOString().slice(0, 10) : value.result);
  return cell.text;
}

async function readXlsx(file: string): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error(`${file}: the workbook has no sheet`);
  const width = sheet.getRow(1).cellCount;
  const header = Array.from({ length: width }, (_, i) => cellText(sheet.getRow(1).getCell(i + 1)).trim());
  if (!header.some(Boolean)) throw new Error(`${file}: the first row of the first sheet must name the fields`);
  const rows: { row: number; cells: string[] }[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells = Array.from({ length: width }, (_, i) => cellText(row.getCell(i + 1)));
    if (!blank(cells)) rows.push({ row: r, cells });
  }
  return { format: 'csv', header, rows };
}

async function readNdjson(file: string): Promise<Table> {
  const lines = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows = lines.map((line, i) => ({ row: i + 1, line })).filter((r) => r.line.trim() !== '');
  return { format: 'ndjson', rows };
}

export async function readTable(file: string): Promise<Table> {
  const format = formatOf(file);
  if (format === 'csv') return readCsv(file);
  if (format === 'xlsx') return readXlsx(file);
  return readNdjson(file);
}
