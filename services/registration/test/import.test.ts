import t from 'tap';
import { makeIdNumber } from '@reemploy/domain';
import { build } from './helper.ts';
import { ALL, COMMUNITY, client, count } from './fixtures.ts';

const person = (i: number, over: Record<string, unknown> = {}) => ({
  idNumber: makeIdNumber('320508', `19${90 + (i % 10)}-0${(i % 9) + 1}-15`, i, i % 2 ? 'male' : 'female'),
  name: `居民${i}`,
  communityCode: COMMUNITY,
  education: 'junior-secondary',
  skills: ['S012-03'],
  ...over,
});

function upload(svc: Awaited<ReturnType<typeof build>>, body: string, type: string, scopes = ALL, regions = ['3205']) {
  return svc.app.inject({ method: 'POST', url: '/v1/job-seekers/import', headers: { authorization: `Bearer ${svc.token(scopes, regions)}`, 'content-type': type }, payload: body });
}

t.test('NDJSON: created, then unchanged on re-upload, then updated; bad rows reported by line', async (t) => {
  const svc = await build(t);
  const lines = [person(1), person(2), { ...person(3), idNumber: '320508197001011234' }, person(4, { communityCode: '320508999999' }), person(1, { name: '重複' })]
    .map((p) => JSON.stringify(p))
    .concat(['{not json', '']);
  const body = '\uFEFF' + lines.join('\n');
  const first = await upload(svc, body, 'application/x-ndjson');
  t.equal(first.statusCode, 200, first.body);
  t.match(first.json(), { rows: 6, created: 2, updated: 0, unchanged: 0, failed: 4 });
  const report = first.json().report;
  t.same(report.map((r: { line: number; status: string }) => `${r.line}:${r.status}`), ['1:created', '2:created', '3:failed', '4:failed', '5:failed', '6:failed']);
  t.equal(report[2].errors[0].field, 'idNumber');
  t.match(report[3].errors[0], { field: 'communityCode', message: /not a known community/ });
  t.match(report[4].errors[0].message, /line 1/);
  t.equal(await count(svc, 'job_seekers'), 2);
  t.equal(await count(svc, 'outbox', "type = 'seeker.registered'"), 2);

  const again = await upload(svc, body, 'application/x-ndjson');
  t.match(again.json(), { created: 0, updated: 0, unchanged: 2, failed: 4 });
  t.equal(await count(svc, 'outbox'), 2, 'nothing published for an unchanged file');
  const { rows } = await svc.ctx.database.pool.query('select sum(version)::int as v from job_seekers');
  t.equal(rows[0].v, 2, 'no version moved');

  const changed = await upload(svc, [person(1, { education: 'college' }), person(2)].map((p) => JSON.stringify(p)).join('\n'), 'application/x-ndjson');
  t.match(changed.json(), { created: 0, updated: 1, unchanged: 1 });
  const id = changed.json().report[0].id;
  t.equal((await client(svc).get(`/v1/job-seekers/${id}`)).json().education, 'college');
  t.equal(await count(svc, 'outbox', "type = 'seeker.updated'"), 1);
});

t.test('CSV with and without BOM, lists and booleans, CRLF', async (t) => {
  const svc = await build(t);
  const header = 'idNumber,name,phone,communityCode,education,skills,desiredOccupations,expectedMonthlyWage,laidOff,minimumLivelihood,unemployedSince';
  const row = (p: ReturnType<typeof person>, extra: string) => `${p.idNumber},${p.name},13812345678,${p.communityCode},${p.education},S012-03;S013-01,4-03-01,3500,${extra}`;
  const csv = [header, row(person(10), '是,false,2024-01-01'), row(person(11), 'true,1,'), row(person(12), 'maybe,false,')].join('\r\n');
  for (const [label, body] of [['BOM', '\uFEFF' + csv], ['no BOM', csv]] as const) {
    const res = await upload(svc, body, 'text/csv; charset=utf-8');
    t.equal(res.statusCode, 200, res.body);
    t.equal(res.json().failed, 1, label);
    t.same(res.json().report.map((r: { line: number }) => r.line), [2, 3, 4], `${label}: lines counted with the header`);
    t.equal(res.json().report[2].errors[0].field, 'laidOff');
  }
  const first = await client(svc).get(`/v1/job-seekers?limit=10`);
  // The list's order is by id, not by line: find each person by what the row said.
  const seekers: { minimumLivelihood: boolean }[] = first.json().items;
  t.equal(seekers.length, 2);
  t.match(seekers.find((s) => !s.minimumLivelihood), { skills: ['S012-03', 'S013-01'], desiredOccupations: ['4-03-01'], expectedMonthlyWage: 3500, laidOff: true, unemployedSince: '2024-01-01', hardshipCategories: ['LONG_TERM_UNEMPLOYED'] });
  t.match(seekers.find((s) => s.minimumLivelihood), { minimumLivelihood: true, hardshipCategories: ['MINIMUM_LIVELIHOOD'] });
  const bad = await upload(svc, 'idNumber,name\n"unterminated,x\n', 'text/csv');
  t.equal(bad.statusCode, 200);
  t.equal(bad.json().created, 0);
});

t.test('rows outside the caller regions fail; other content types are refused', async (t) => {
  const svc = await build(t);
  const res = await upload(svc, JSON.stringify(person(20)), 'application/x-ndjson', ALL, ['320506']);
  t.match(res.json().report[0], { status: 'failed', errors: [{ field: 'communityCode', message: 'outside your regions' }] });
  t.equal((await upload(svc, '{}', 'application/xml')).statusCode, 415);
  t.equal((await upload(svc, JSON.stringify(person(20)), 'application/x-ndjson', ['seekers:read'])).statusCode, 403);
  t.equal(await count(svc, 'job_seekers'), 0);
});
