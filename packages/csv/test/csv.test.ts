import t from 'tap';
import { parse } from 'csv-parse/sync';
import { spreadsheetCsv } from '../src/index.ts';

const FORMULAS = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(1)', '\t=1', '\r=1', '\0=1', '＝1+1', '＠SUM(1)'];

t.test('every text cell that would start a formula is shown as text, and reads back whole', async (t) => {
  const rows = [['header', ...FORMULAS], ['row', 'plain', 'a, b', 'say "hi"', 'x;=1+1', 'two\nlines', 'cr\ronly', "it's", '社区']];
  const csv = spreadsheetCsv(rows);
  t.ok(csv.startsWith('\uFEFFheader,'), 'UTF-8 byte-order mark, then the cells');
  t.ok(csv.endsWith('\r\n'), 'CRLF line ends');
  const read = parse(csv.slice(1), { relax_column_count: true }) as string[][];
  t.same(read[0], ['header', ...FORMULAS.map((f) => `'${f}`)], 'each formula start neutralised with an apostrophe');
  t.same(read[1], rows[1], 'other cells unchanged');
  t.match(csv, /,"x;=1\+1",/, 'a cell holding ; is quoted');
});

t.test('numbers stay numbers (negative ones too); a missing cell is empty', async (t) => {
  t.equal(spreadsheetCsv([['合计', -3, 0, 12.5, null, undefined]]), '\uFEFF合计,-3,0,12.5,,\r\n');
});
