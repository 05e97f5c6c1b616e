import ExcelJS from 'exceljs';
import { spreadsheetCsv, type Cell } from '@reemploy/csv';
import { LEDGER_COLUMNS, type Ledger, type LedgerRow } from './ledger.ts';

const CODE_HEADER = '區劃代碼';
const NAME_HEADER = '名稱';
const TOTAL_LABEL = '合計';

const SHEETS = [
  { title: '社區', rows: (l: Ledger) => l.communities },
  { title: '街道', rows: (l: Ledger) => l.streets },
  { title: '區', rows: (l: Ledger) => l.districts },
] as const;

function figures(row: LedgerRow): number[] {
  return LEDGER_COLUMNS.map((c) => row[c.key]);
}

/**
 * The ledger as CSV in UTF-8 with a byte-order mark (Excel needs it to read Chinese), CRLF line ends:
 * every community, then each street total, each district total and the grand total, marked in a level column.
 */
export function ledgerCsv(ledger: Ledger): string {
  const rows: Cell[][] = [['層級', CODE_HEADER, NAME_HEADER, ...LEDGER_COLUMNS.map((c) => c.header)]];
  for (const sheet of SHEETS) for (const row of sheet.rows(ledger)) rows.push([sheet.title, row.regionCode, row.name, ...figures(row)]);
  rows.push([TOTAL_LABEL, ledger.regionCode, null, ...LEDGER_COLUMNS.map((c) => ledger.total[c.key])]);
  return spreadsheetCsv(rows);
}

/** The ledger as an XLSX workbook: one sheet per level (社區, 街道, 區), each ending with a 合計 row. */
export async function ledgerXlsx(ledger: Ledger): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'reemploy';
  for (const sheet of SHEETS) {
    const ws = workbook.addWorksheet(sheet.title, { views: [{ state: 'frozen', xSplit: 2, ySplit: 2 }] });
    ws.addRow([`工作月報 ${ledger.period}`]);
    ws.addRow([CODE_HEADER, NAME_HEADER, ...LEDGER_COLUMNS.map((c) => c.header)]).font = { bold: true };
    for (const row of sheet.rows(ledger)) ws.addRow([row.regionCode, row.name ?? '', ...figures(row)]);
    const total = ws.addRow([TOTAL_LABEL, '', ...LEDGER_COLUMNS.map((c) => ledger.total[c.key])]);
    total.font = { bold: true };
    ws.getColumn(1).width = 14;
    ws.getColumn(2).width = 18;
    for (let i = 3; i <= LEDGER_COLUMNS.length + 2; i += 1) ws.getColumn(i).width = 12;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
