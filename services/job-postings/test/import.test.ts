import t from 'tap';
import { build } from './helper.ts';
import { auth, count, createEmployer, inDays, vacancy, withOffset } from './fixtures.ts';

t.test('NDJSON: each row is created, a duplicate with its existing id, or failed with its fields named', async (t) => {
  const svc = await build(t);
  const employerId = await createEmployer(svc);
  const lines = [
    JSON.stringify(vacancy(employerId, { title: '保安员' })),
    JSON.stringify(vacancy(employerId, { title: '保 安 员' })),
    '',
    JSON.stringify(vacancy(employerId, { title: '保洁员', occupationCode: '4-09-01', minAge: 50, maxAge: 40 })),
    '{not json',
    JSON.stringify(vacancy(employerId, { title: '收银员', occupationCode: '4-01-99' })),
    JSON.stringify(vacancy(employerId, { title: '外区岗位', communityCode: '320506001001' })),
    JSON.stringify(vacancy(employerId, { title: '公益岗', kind: 'public-welfare' })),
    JSON.stringify(vacancy(employerId, { title: '营业员', occupationCode: '4-01-01' })),
  ].join('\n');
  const res = await svc.app.inject({ method: 'POST', url: '/v1/vacancies/import', headers: { ...auth(svc), 'content-type': 'application/x-ndjson' }, payload: lines });
  t.equal(res.statusCode, 200, res.body);
  const body = res.json();
  t.match(body, { rows: 8, created: 2, duplicates: 1, failed: 5 });
  const byLine = new Map(body.report.map((r: { line: number }) => [r.line, r]));
  t.match(byLine.get(1), { status: 'created' });
  t.match(byLine.get(2), { status: 'duplicate', existingId: (byLine.get(1) as { id: string }).id });
  t.match(byLine.get(4), { status: 'failed', errors: [{ field: 'row.maxAge' }] });
  t.match(byLine.get(5), { status: 'failed', errors: [{ field: 'row', message: 'is not valid JSON' }] });
  t.match(byLine.get(6), { status: 'failed', errors: [{ field: 'row.occupationCode' }] });
  t.match(byLine.get(7), { status: 'failed', errors: [{ field: 'row.communityCode', message: 'outside your regions' }] });
  t.match(byLine.get(8), { status: 'failed', errors: [{ field: 'row.reservedFor' }] });
  t.match(byLine.get(9), { status: 'created' });
  t.equal(await count(svc, 'vacancies'), 2);

  const again = await svc.app.inject({ method: 'POST', url: '/v1/vacancies/import', headers: { ...auth(svc), 'content-type': 'application/x-ndjson' }, payload: lines });
  t.match(again.json(), { created: 0, duplicates: 3 }, 'importing the same file again creates nothing');
  t.equal(await count(svc, 'vacancies'), 2);
});

t.test('CSV with a header naming the fields; lists separated by semicolons', async (t) => {
  const svc = await build(t);
  const employerId = await createEmployer(svc);
  const until = inDays(20);
  const csv = [
    '\uFEFFemployerId,title,occupationCode,skills,wageMin,wageMax,headcount,communityCode,kind,source,reservedFor,validUntil',
    `${employerId},社区保洁员,4-09-09,S008-01;S009-02,2490,2800,2,320508024043,public-welfare,coordinator,ZERO_EMPLOYMENT_HOUSEHOLD;OLDER_4050,${until}`,
    `${employerId},"叉车司机, 夜班",6-30-01,S018-05,5000,6500,1,320508024043,regular,employer,,${until}`,
    `${employerId},仓管员,4-02-06,,abc,6500,1,320508024043,regular,employer,,${until}`,
  ].join('\r\n');
  const res = await svc.app.inject({ method: 'POST', url: '/v1/vacancies/import', headers: { ...auth(svc), 'content-type': 'text/csv' }, payload: csv });
  t.equal(res.statusCode, 200, res.body);
  t.match(res.json(), { rows: 3, created: 2, failed: 1 });
  t.match(res.json().report[2], { line: 4, status: 'failed', errors: [{ field: 'row.wageMin' }] });
  const first = await svc.app.inject({ method: 'GET', url: `/v1/vacancies/${res.json().report[0].id}`, headers: auth(svc) });
  t.match(first.json(), { skills: ['S008-01', 'S009-02'], reservedFor: ['ZERO_EMPLOYMENT_HOUSEHOLD', 'OLDER_4050'], minAge: 16, maxAge: 65 });

  const badHeader = await svc.app.inject({ method: 'POST', url: '/v1/vacancies/import', headers: { ...auth(svc), 'content-type': 'text/csv' }, payload: 'employerId,salary\nx,1' });
  t.equal(badHeader.statusCode, 400);
  t.equal(badHeader.json().errors[0].field, 'body.header.salary');
  const wrongType = await svc.app.inject({ method: 'POST', url: '/v1/vacancies/import', headers: { ...auth(svc), 'content-type': 'application/xml' }, payload: '<x/>' });
  t.equal(wrongType.statusCode, 415);
  const empty = await svc.app.inject({ method: 'POST', url: '/v1/vacancies/import', headers: { ...auth(svc), 'content-type': 'application/x-ndjson' }, payload: '\n\n' });
  t.equal(empty.statusCode, 400);
});

t.test('a row whose validUntil has an offset Postgres itself refuses is imported like any other, and so are the rows after it', async (t) => {
  const svc = await build(t);
  const employerId = await createEmployer(svc);
  const until = inDays(30);
  const lines = [
    JSON.stringify(vacancy(employerId, { title: '保安员' })),
    JSON.stringify(vacancy(employerId, { title: '保洁员', occupationCode: '4-09-01', validUntil: withOffset(until, 20 * 60) })),
    JSON.stringify(vacancy(employerId, { title: '营业员', occupationCode: '4-01-01' })),
  ].join('\n');
  const res = await svc.app.inject({ method: 'POST', url: '/v1/vacancies/import', headers: { ...auth(svc), 'content-type': 'application/x-ndjson' }, payload: lines });
  t.equal(res.statusCode, 200, res.body);
  t.match(res.json(), { rows: 3, created: 3, failed: 0 });
  const second = await svc.app.inject({ method: 'GET', url: `/v1/vacancies/${res.json().report[1].id}`, headers: auth(svc) });
  t.equal(second.json().validUntil, until, 'the instant it names');
  t.equal(await count(svc, 'vacancies'), 3);
});

t.test('a line or CSV record over 64 KiB is a 413 naming its line, and no row of the file is stored', async (t) => {
  const svc = await build(t);
  const employerId = await createEmployer(svc);
  const send = (payload: string, type: string) => svc.app.inject({ method: 'POST', url: '/v1/vacancies/import', headers: { ...auth(svc), 'content-type': type }, payload });
  const lines = [vacancy(employerId, { title: '保安员' }), vacancy(employerId, { title: '长'.repeat(30_000) }), vacancy(employerId, { title: '保洁员', occupationCode: '4-09-01' })];
  const ndjson = await send(lines.map((v) => JSON.stringify(v)).join('\n'), 'application/x-ndjson');
  t.equal(ndjson.statusCode, 413, ndjson.body.slice(0, 300));
  t.match(ndjson.json(), { code: 'line-too-long', line: 2, errors: [{ field: 'body.line[2]' }] });

  const header = 'employerId,title,occupationCode,minAge,maxAge,educationMin,wageMin,wageMax,headcount,communityCode,kind,source,validUntil';
  const row = (title: string) => [employerId, `"${title}"`, '4-01-01', 18, 55, 'junior-secondary', 3000, 5000, 2, '320508024043', 'regular', 'employer', inDays(30)].join(',');
  const csv = await send([header, row('营业员'), row('x'.repeat(70_000))].join('\n'), 'text/csv');
  t.equal(csv.statusCode, 413, csv.body.slice(0, 300));
  t.match(csv.json(), { code: 'line-too-long', line: 3 });
  t.equal(await count(svc, 'vacancies'), 0, 'nothing stored');
});
