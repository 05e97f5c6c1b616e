import t from 'tap';
import { DEMO_BASES, seedDemoBases } from '../src/bases/demo.ts';
import { build } from './helper.ts';
import { auth, count, READ, WRITE } from './support.ts';

const HEADER = 'name,communityCode,address,sectors,joinedYear,cohort';
const GB18030: Record<string, Buffer> = {
  长发商厦: Buffer.from('b3a4b7a2c9cccfc3', 'hex'),
  苏州市姑苏区: Buffer.from('cbd5d6ddcad0b9c3cbd5c7f8', 'hex'),
  零售: Buffer.from('c1e3cadb', 'hex'),
};

function csvRequest(token: string, body: string) {
  return { method: 'POST' as const, url: '/v1/aid-bases/import', headers: { ...auth(token), 'content-type': 'text/csv' }, body };
}

t.test('imports bases from CSV with a report per row', async (t) => {
  const svc = await build(t);
  const token = svc.token([READ, WRITE], ['320508']);
  const first = await svc.app.inject(csvRequest(token, `${HEADER}\n人民商场,320508018036,人民路,零售;餐饮,2005,added\n`));
  t.equal(first.statusCode, 200, first.body);
  const existingId = first.json().results[0].id;

  const csv = [
    '\uFEFFcohort,Name,communityCode,address,sectors,joinedYear',
    'added,长发商厦,320508020025,"观前街, 2 号",零售、服装,2005',
    '',
    'added,人民商场,320508018036,人民路,零售,2005',
    'existing,坏的代码,3205080200,某处,零售,2004',
    'sometime,错的批次,320508020025,某处,零售,2004',
    'added,年份不对,320508020025,某处,零售,二〇〇五',
    'added,辖区以外,320506001001,某处,零售,2005',
    'later,,320508020025,某处,零售,2006',
  ].join('\r\n');
  const res = await svc.app.inject(csvRequest(token, csv));
  t.equal(res.statusCode, 200, res.body);
  const report = res.json();
  t.match(report, { rows: 7, created: 1, duplicates: 1, rejected: 5 });
  const [created, duplicate, badCode, badCohort, badYear, outside, noName] = report.results;
  t.match(created, { line: 2, status: 'created' });
  t.match(duplicate, { line: 4, status: 'duplicate', existingId });
  t.match(badCode, { line: 5, status: 'rejected', errors: [{ field: 'communityCode' }] });
  t.match(badCohort, { status: 'rejected', errors: [{ field: 'cohort' }] });
  t.match(badYear, { status: 'rejected', errors: [{ field: 'joinedYear' }] });
  t.match(outside, { status: 'rejected', errors: [{ field: 'communityCode', message: 'outside your regions' }] });
  t.match(noName, { status: 'rejected', errors: [{ field: 'name' }] });

  const read = await svc.app.inject({ url: `/v1/aid-bases/${created.id}`, headers: auth(token) });
  t.equal(read.json().address, '观前街, 2 号', 'quoted cells keep their commas');
  t.same(read.json().sectors, ['零售', '服装']);
  t.equal(await count(svc, 'aid_bases'), 2);
});

t.test('a spreadsheet saved as GB18030 imports when it says so, and is refused when it does not', async (t) => {
  const svc = await build(t);
  const token = svc.token([READ, WRITE]);
  const text = `${HEADER}\n长发商厦,320508020025,苏州市姑苏区,零售,2005,added\n`;
  // The same text as GB18030 bytes (Node decodes GB18030 but has no encoder).
  const gb = (s: string) => GB18030[s] ?? Buffer.from(s, 'ascii');
  const encoded = Buffer.concat(text.split(/(长发商厦|苏州市姑苏区|零售)/).map(gb));
  t.not(encoded.toString('utf8'), text);
  const wrong = await svc.app.inject({ ...csvRequest(token, ''), body: encoded });
  t.equal(wrong.statusCode, 400);
  t.equal(wrong.json().errors[0].field, 'body');
  const right = await svc.app.inject({ ...csvRequest(token, ''), headers: { ...auth(token), 'content-type': 'text/csv; charset=gb18030' }, body: encoded });
  t.equal(right.statusCode, 200, right.body);
  t.equal(right.json().created, 1);
  const read = await svc.app.inject({ url: `/v1/aid-bases/${right.json().results[0].id}`, headers: auth(token) });
  t.equal(read.json().name, '长发商厦');
});

t.test('a CSV without the columns, or from a base token, is refused whole', async (t) => {
  const svc = await build(t);
  const token = svc.token([WRITE]);
  const missing = await svc.app.inject(csvRequest(token, 'name,communityCode,address\n甲,320508020025,某处\n'));
  t.equal(missing.statusCode, 400);
  t.same(missing.json().errors.map((e: { field: string }) => e.field).sort(), ['body.header.cohort', 'body.header.joinedYear', 'body.header.sectors']);
  const headerOnly = await svc.app.inject(csvRequest(token, `${HEADER}\n`));
  t.equal(headerOnly.statusCode, 400);
  const broken = await svc.app.inject(csvRequest(token, `${HEADER}\n"unterminated,320508020025,a,b,2005,added\n`));
  t.equal(broken.statusCode, 400);
  t.equal(broken.json().errors[0].field, 'body');
  const json = await svc.app.inject({ method: 'POST', url: '/v1/aid-bases/import', headers: auth(token), payload: { name: 'x' } });
  t.equal(json.statusCode, 400, 'JSON is not a CSV');
  const csvElsewhere = await svc.app.inject({ ...csvRequest(token, `${HEADER}\n`), url: '/v1/aid-bases' });
  t.equal(csvElsewhere.statusCode, 415, 'CSV is taken by the import alone');
  const baseToken = svc.token([WRITE], ['3205'], { aidBase: crypto.randomUUID() });
  const fromBase = await svc.app.inject(csvRequest(baseToken, `${HEADER}\n甲,320508020025,某处,零售,2005,added\n`));
  t.equal(fromBase.statusCode, 403);
  t.equal(await count(svc, 'aid_bases'), 0);
});

t.test('the demo data: 29 bases, 13 existing and 16 added, the two named ones real, the rest marked demo', async (t) => {
  const svc = await build(t);
  t.equal(await seedDemoBases(svc.ctx.db), 29);
  t.equal(await seedDemoBases(svc.ctx.db), 0, 'seeding again adds nothing');
  const token = svc.token([READ]);
  const res = await svc.app.inject({ url: '/v1/aid-bases?limit=100', headers: auth(token) });
  const items: { name: string; cohort: string; communityCode: string }[] = res.json().items;
  t.equal(items.length, 29);
  t.equal(items.filter((b) => b.cohort === 'existing').length, 13);
  t.equal(items.filter((b) => b.cohort === 'added').length, 16);
  const named = items.filter((b) => !b.name.includes('(demo)')).map((b) => b.name);
  t.same(named.sort(), ['人民商场', '长发商厦'].sort());
  t.ok(items.every((b) => /^3205\d{8}$/.test(b.communityCode)), 'Suzhou community codes');
  t.equal(new Set(DEMO_BASES.map((b) => b.communityCode)).size, 29, 'one community each');
});

t.test('a CSV record over 64 KiB is a 413 naming its line, and no base of the file is registered', async (t) => {
  const svc = await build(t);
  const token = svc.token([READ, WRITE], ['320508']);
  const res = await svc.app.inject(csvRequest(token, `${HEADER}\n人民商场,320508018036,人民路,零售,2005,added\n长发商厦,320508020025,"${'x'.repeat(70_000)}",零售,2005,added\n`));
  t.equal(res.statusCode, 413, res.body.slice(0, 300));
  t.match(res.json(), { code: 'line-too-long', line: 3 });
  t.equal(await count(svc, 'aid_bases'), 0);
});
