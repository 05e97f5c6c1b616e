import ExcelJS from 'exceljs';
import { spreadsheetCsv, type Cell } from '@reemploy/csv';
import { LEDGER_COLUMNS, type Ledger, type LedgerRow } from './ledger.ts';

const CODE_HEADER = '区划代码';
const NAME_HEADER = '名称';
const TOTAL_LABEL = '合计';

const SHEETS = [
  { title: '社区', rows: (l: Ledger) => l.communities },
  { title: '街道', rows: (l: Ledger) => l.streets },
  { title: '区', rows: (l: Ledger) => l.districts },
] as const;

function figures(row: LedgerRow): number[] {
  return LEDGER_COLUMNS.map((c) => row[c.key]);
}

/**
 * The ledger as CSV in UTF-8 with a byte-order mark (Excel needs it to read Chinese), CRLF line ends:
 * every community, then each street total, each district total and the grand total, marked in a level column.
 */
export function ledgerCsv(ledger: Ledger): string {
  const rows: Cell[][] = [['层级', CODE_HEADER, NAME_HEADER, ...LEDGER_COLUMNS.map((c) => c.header)]];
  for (const sheet of SHEETS) for (const row of sheet.rows(ledger)) rows.push([sheet.title, row.regionCode, row.name, ...figures(row)]);
  rows.push([TOTAL_LABEL, ledger.regionCode, null, ...LEDGER_COLUMNS.map((c) => ledger.total[c.key])]);
  return spreadsheetCsv(rows);
}

/**
 * The ledger as an XLSX workbook: one sheet per level (社区, 街道, 区), each ending with a 合计 row.
 * `text` gives its Chinese in the script the caller asked for (simplified as it is by default); CSV and
 * JSON are converted on their way out, a workbook before it is written.
 */
export async function ledgerXlsx(ledger: Ledger, text: (chinese: string) => string = (chinese) => chinese): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'reemploy';
  const headers = [CODE_HEADER, NAME_HEADER, ...LEDGER_COLUMNS.map((c) => c.header)].map(text);
  for (const sheet of SHEETS) {
    const ws = workbook.addWorksheet(text(sheet.title), { views: [{ state: 'frozen', xSplit: 2, ySplit: 2 }] });
    ws.addRow([text(`工作月报 ${ledger.period}`)]);
    ws.addRow(headers).font = { bold: true };
    for (const row of sheet.rows(ledger)) ws.addRow([row.regionCode, text(row.name ?? ''), ...figures(row)]);
    const total = ws.addRow([text(TOTAL_LABEL), '', ...LEDGER_COLUMNS.map((c) => ledger.total[c.key])]);
    total.font = { bold: true };
    ws.getColumn(1).width = 14;
    ws.getColumn(2).width = 18;
    for (let i = 3; i <= LEDGER_COLUMNS.length + 2; i += 1) ws.getColumn(i).width = 12;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
