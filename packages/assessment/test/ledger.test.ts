import t from 'tap';
import ExcelJS from 'exceljs';
import { LEDGER_COLUMNS, buildLedger, ledgerCsv, ledgerXlsx, zeroFigures, type LedgerFigures } from '../src/index.ts';

function figures(seed: number): LedgerFigures {
  const f = zeroFigures();
  LEDGER_COLUMNS.forEach((c, i) => {
    f[c.key] = (seed * 7 + i * 3) % 23;
  });
  return f;
}

const communities = [
  { communityCode: '320508024043', figures: figures(1) },
  { communityCode: '320508024001', figures: figures(2) },
  { communityCode: '320508001002', figures: figures(3) },
  { communityCode: '320505003004', figures: figures(4) },
];
const names = new Map([
  ['320508024043', '龙港苑社区'],
  ['320508024', '吴门桥街道'],
  ['320508', '姑苏区'],
  ['320505', '虎丘区'],
]);

function sum(key: keyof LedgerFigures, codes: string[]): number {
  return communities.filter((c) => codes.some((p) => c.communityCode.startsWith(p))).reduce((a, c) => a + c.figures[key], 0);
}

t.test('rows roll up to streets, districts and a total', async (t) => {
  const ledger = buildLedger('2025-12', '3205', communities, names);
  t.same(ledger.communities.map((r) => r.regionCode), ['320505003004', '320508001002', '320508024001', '320508024043']);
  t.same(ledger.streets.map((r) => r.regionCode), ['320505003', '320508001', '320508024']);
  t.same(ledger.districts.map((r) => [r.regionCode, r.name]), [['320505', '虎丘区'], ['320508', '姑苏区']]);
  for (const { key } of LEDGER_COLUMNS) {
    t.equal(ledger.streets[2]?.[key], sum(key, ['320508024']), `street ${key}`);
    t.equal(ledger.districts[1]?.[key], sum(key, ['320508']), `district ${key}`);
    t.equal(ledger.total[key], sum(key, ['3205']), `total ${key}`);
  }
});

t.test('CSV: UTF-8 with BOM, Chinese headers, quoted where needed', async (t) => {
  const ledger = buildLedger('2025-12', '3205', communities, new Map([...names, ['320508001002', '=HYPERLINK("x"),社区']]));
  const csv = ledgerCsv(ledger);
  t.ok(csv.startsWith('\uFEFF层级,区划代码,名称,登记失业人员'));
  const lines = csv.slice(1).trimEnd().split('\r\n');
  t.equal(lines.length, 1 + 4 + 3 + 2 + 1);
  t.match(lines[2], /^社区,320508001002,"'=HYPERLINK\(""x""\),社区",/);
  t.equal(lines.at(-1), ['合计', '3205', '', ...LEDGER_COLUMNS.map((c) => ledger.total[c.key])].join(','));
  t.equal(Buffer.from(csv, 'utf8').subarray(0, 3).toString('hex'), 'efbbbf');
});

t.test('XLSX: one sheet per level with Chinese headers; exceljs reads back the right totals', async (t) => {
  const ledger = buildLedger('2025-12', '3205', communities, names);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(new Uint8Array(await ledgerXlsx(ledger)).buffer);
  t.same(workbook.worksheets.map((w) => w.name), ['社区', '街道', '区']);
  for (const [name, rows] of [['社区', 4], ['街道', 3], ['区', 2]] as const) {
    const ws = workbook.getWorksheet(name);
    if (!ws) throw new Error(name);
    t.equal(ws.getRow(2).getCell(3).value, '登记失业人员');
    t.equal(ws.rowCount, 2 + rows + 1);
    const totalRow = ws.getRow(ws.rowCount);
    t.equal(totalRow.getCell(1).value, '合计');
    LEDGER_COLUMNS.forEach((c, i) => {
      let column = 0;
      for (let r = 3; r < ws.rowCount; r += 1) column += Number(ws.getRow(r).getCell(i + 3).value);
      t.equal(column, sum(c.key, ['3205']), `${name} ${c.header} rows add up`);
      t.equal(totalRow.getCell(i + 3).value, column, `${name} ${c.header} total`);
    });
  }
  t.equal(workbook.getWorksheet('区')?.getRow(4).getCell(2).value, '姑苏区');
});
