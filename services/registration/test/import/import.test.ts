import t from 'tap';
import { makeIdNumber } from '@reemploy/domain';
import { eventContracts } from '@reemploy/events';
import { copyText } from '@reemploy/db';
import { STAGED_COLUMNS, generalLine, prepareRow, stagingLine } from '../../src/import/rows.ts';
import { build } from '../helper.ts';
import { ALL, COMMUNITY, client, count } from '../fixtures.ts';

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
  const lines = [person(1), person(2), { ...person(3), idNumber: '320508197001011234' }, person(4, { communityCode: '320508999999' }), person(1, { name: '重复' })]
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
  // New people go out together, as seekers.imported events matching's projection takes (a seeker.registered payload each).
  const events = (await svc.ctx.database.pool.query("select type, subject, payload from outbox")).rows;
  t.same(events.map((e) => e.type), ['seekers.imported']);
  const batch = eventContracts['seekers.imported'].schema.parse(events[0].payload);
  t.same(batch.seekers.map((s) => s.seekerId).sort(), report.slice(0, 2).map((r: { id: string }) => r.id).sort());
  t.match(batch.seekers.find((s) => s.seekerId === report[0].id), { householdId: null, communityCode: COMMUNITY, education: 'junior-secondary', skills: ['S012-03'], status: 'unemployed' });

  const again = await upload(svc, body, 'application/x-ndjson');
  t.match(again.json(), { created: 0, updated: 0, unchanged: 2, failed: 4 });
  t.equal(await count(svc, 'outbox'), 1, 'nothing published for an unchanged file');
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
  // A column headed by what looks like someone's identity number or phone is an unknown column; the report does not repeat it.
  const p = person(13);
  const odd = await upload(svc, `idNumber,name,communityCode,education,${p.idNumber},13912345678\n${p.idNumber},${p.name},${p.communityCode},${p.education},x,y`, 'text/csv');
  t.equal(odd.json().failed, 1);
  t.notMatch(odd.body, p.idNumber, 'the identity number in the header is not echoed');
  t.notMatch(odd.body, '13912345678', 'nor the phone');
});

t.test('rows outside the caller regions fail; other content types are refused', async (t) => {
  const svc = await build(t);
  const res = await upload(svc, JSON.stringify(person(20)), 'application/x-ndjson', ALL, ['320506']);
  t.match(res.json().report[0], { status: 'failed', errors: [{ field: 'communityCode', message: 'outside your regions' }] });
  t.equal((await upload(svc, '{}', 'application/xml')).statusCode, 415);
  t.equal((await upload(svc, JSON.stringify(person(20)), 'application/x-ndjson', ['seekers:read'])).statusCode, 403);
  t.equal(await count(svc, 'job_seekers'), 0);

  // Someone registered in another region: the row neither changes nor names that person.
  const registered = await upload(svc, JSON.stringify(person(21)), 'application/x-ndjson');
  const id = registered.json().report[0].id;
  for (const row of [person(21, { communityCode: '320506001012' }), person(21, { communityCode: '320506001012', householdKey: 'K', relationship: 'head' })]) {
    const moved = await upload(svc, JSON.stringify(row), 'application/x-ndjson', ALL, ['320506']);
    t.same(moved.json().report, [{ line: 1, status: 'failed', errors: [{ field: 'idNumber', message: 'this person is registered outside your regions' }] }]);
    t.notOk(moved.body.includes(id));
  }
  t.equal((await client(svc).get(`/v1/job-seekers/${id}`)).json().communityCode, COMMUNITY);
  t.equal(await count(svc, 'households'), 0);
});

t.test('a larger upload goes through the worker threads: same report, in file order, across batches', async (t) => {
  const svc = await build(t);
  const rows = Array.from({ length: 2000 }, (_, i) => ({
    // Distinct people: a birth date per 500 rows, the sequence (odd for men) within it.
    idNumber: makeIdNumber('320508', `19${80 + Math.floor(i / 500)}-03-01`, i % 500 * 2 + (i % 2), i % 2 ? 'male' : 'female'),
    name: `居民${i}`,
    phone: `139${String(i).padStart(8, '0')}`,
    communityCode: COMMUNITY,
    education: 'college',
    skills: ['S012-03', 'S013-01'],
  }));
  const lines = rows.map((r) => JSON.stringify(r));
  lines[700] = JSON.stringify({ ...rows[700], phone: '12345' });
  lines[1400] = JSON.stringify({ ...rows[3], name: '同一人' });
  lines[20] = JSON.stringify({ ...rows[20], householdKey: 'H-1', relationship: 'head' });
  lines[1200] = JSON.stringify({ ...rows[1200], householdKey: 'H-1', relationship: 'spouse' });
  const body = lines.join('\n');
  t.ok(Buffer.byteLength(body) > 256 * 1024, 'above the in-place limit');
  const first = await upload(svc, body, 'application/x-ndjson');
  t.equal(first.statusCode, 200, first.body.slice(0, 300));
  t.match(first.json(), { rows: 2000, created: 1998, failed: 2 });
  const report = first.json().report as { line: number; status: string; id?: string; errors?: { field: string; message: string }[] }[];
  t.same(report.map((r) => r.line), Array.from({ length: 2000 }, (_, i) => i + 1), 'one entry per line, in order');
  t.match(report[700], { status: 'failed', errors: [{ field: 'phone' }] });
  t.match(report[1400], { status: 'failed', errors: [{ field: 'idNumber', message: 'the same person as line 4' }] });
  t.equal(await count(svc, 'job_seekers'), 1998);
  t.equal(await count(svc, 'job_seekers', "phone_enc like '%13900000%' or id_number_enc like '%320508%' or name_enc like '%居民%'"), 0, 'no plaintext at rest');
  const head = (await client(svc).get(`/v1/job-seekers/${report[20]!.id}`)).json();
  t.match(head, { relationship: 'head', phone: '13900000020', skills: ['S012-03', 'S013-01'] });
  const members = (await client(svc).get(`/v1/households/${head.householdId}`)).json().members as { relationship: string }[];
  t.same(members.map((m) => m.relationship).sort(), ['head', 'spouse'], 'a household across worker batches');
  const { rows: batches } = await svc.ctx.database.pool.query("select jsonb_array_length(payload->'seekers') as n from outbox where type = 'seekers.imported'");
  t.equal(batches.reduce((a: number, b: { n: number }) => a + b.n, 0), 1996, 'every new person alone published once, in events of at most 1,000');

  const again = await upload(svc, body, 'application/x-ndjson');
  t.match(again.json(), { created: 0, updated: 0, unchanged: 1998, failed: 2 });
});

t.test('the fast COPY line and the general encoder store the same values', async (t) => {
  const svc = await build(t);
  const c = { caller: { regions: ['3205'] }, pii: svc.ctx.pii, communities: new Set([COMMUNITY]), today: '2026-11-29', now: new Date('2026-11-29T00:00:00Z'), femaleRetirementScheme: 'female-50' as const };
  const rows = [person(30, { phone: '13812345678', expectedMonthlyWage: 4200, laidOff: true }), person(31, { skills: [], desiredOccupations: ['4-03-01', '2-02-01'] })].map((p, i) => {
    const prepared = prepareRow({ line: i + 1, value: p }, c);
    if (!('row' in prepared)) throw new Error('valid row expected');
    return prepared.row;
  });
  const client = await svc.ctx.database.pool.connect();
  t.teardown(() => client.release());
  await client.query(`create temp table lines (line integer, ${STAGED_COLUMNS.map(([n, type]) => `${n} ${type}`).join(', ')})`);
  const columns = ['line', ...STAGED_COLUMNS.map(([n]) => n)];
  await copyText(client, 'lines', columns, rows.map(stagingLine));
  await copyText(client, 'lines', columns, rows.map(generalLine));
  const { rows: stored } = await client.query('select distinct * from lines order by line');
  t.equal(stored.length, 2, 'each row stored identically both ways');
  t.match(stored[0], { phone_enc: /^\S+$/, expected_monthly_wage: 4200, laid_off: true, skills: ['S012-03'] });
  t.match(stored[1], { phone_enc: null, expected_monthly_wage: null, skills: [], desired_occupations: ['4-03-01', '2-02-01'] });
});

t.test('rows with NUL or control characters, lone surrogates or numbers beyond 2^53 fail by field, and store nothing', async (t) => {
  const svc = await build(t);
  const lines = [
    JSON.stringify(person(11, { name: '居民\u0000十一' })),
    JSON.stringify(person(12, { name: '居民\uD800' })),
    JSON.stringify(person(13, { expectedMonthlyWage: 2 ** 60 })),
    JSON.stringify(person(14, { skills: ['S012-03', 'S\u0007'] })),
  ];
  const res = await upload(svc, lines.join('\n'), 'application/x-ndjson');
  t.equal(res.statusCode, 200, res.body);
  t.match(res.json(), { rows: 4, created: 0, failed: 4 });
  t.same(
    res.json().report.map((r: { errors: { field: string }[] }) => r.errors.map((e) => e.field)),
    [['name'], ['name'], ['expectedMonthlyWage'], ['skills.1']],
  );
  t.equal(await count(svc, 'job_seekers'), 0);
  t.equal(await count(svc, 'outbox'), 0);
});

t.test('imports changing household members run beside household and seeker changes without deadlocks', async (t) => {
  // Three imports of one caller at once: beyond the default share (IMPORT_CONCURRENCY_PER_CALLER).
  const svc = await build(t, { env: { IMPORT_CONCURRENCY_PER_CALLER: '3' } });
  const api = client(svc);
  const households: string[] = [];
  const members: { i: number; id: string; household: string }[] = [];
  for (let h = 0; h < 4; h++) {
    const hh = (await api.post('/v1/households', { communityCode: COMMUNITY })).json().id as string;
    households.push(hh);
    for (const [k, relationship] of (['head', 'spouse'] as const).entries()) {
      const i = 100 + h * 2 + k;
      const res = await api.post('/v1/job-seekers', { ...person(i), householdId: hh, relationship });
      t.equal(res.statusCode, 201, res.body);
      members.push({ i, id: res.json().id, household: hh });
    }
  }
  // Each import changes every member (in file orders that differ); household PATCHes run at the same time.
  const file = (round: number, reverse: boolean) => {
    const rows = members.map((m) => JSON.stringify(person(m.i, { education: round % 2 ? 'college' : 'senior-secondary' })));
    return (reverse ? rows.reverse() : rows).join('\n');
  };
  const patchHousehold = async (hh: string, minorChildren: number) => {
    const current = await api.get(`/v1/households/${hh}`);
    return api.patch(`/v1/households/${hh}`, { minorChildren }, { 'if-match': current.headers.etag as string });
  };
  const results = await Promise.all([
    upload(svc, file(1, false), 'application/x-ndjson'),
    upload(svc, file(2, true), 'application/x-ndjson'),
    ...households.map((hh, n) => patchHousehold(hh, n + 1)),
    upload(svc, file(3, false), 'application/x-ndjson'),
  ]);
  for (const res of results) t.ok(res.statusCode < 500, `${res.statusCode}: ${res.statusCode >= 500 ? res.body : 'no server error'}`);
  const imports = [results[0]!, results[1]!, results.at(-1)!];
  for (const res of imports) t.equal(res.json().failed, 0, 'every row of every import stored');
});

t.test('a CSV record csv-parse cannot read is reported without the value it quotes', async (t) => {
  const svc = await build(t);
  const p = person(40);
  // A quote inside an unquoted cell: csv-parse's message repeats the cell so far.
  const csv = `idNumber,name,communityCode,education\n${p.idNumber}"x,${p.name},${p.communityCode},${p.education}\n13912345678"y,${p.name},${p.communityCode},${p.education}\n`;
  const res = await upload(svc, csv, 'text/csv', ['seekers:write']);
  t.equal(res.statusCode, 200, res.body);
  t.match(res.json(), { created: 0, failed: 2 });
  t.match(res.json().report[0], { line: 2, status: 'failed', errors: [{ field: 'row', message: /quote/ }] });
  t.notMatch(res.body, p.idNumber, 'the identity number is not echoed');
  t.notMatch(res.body, '13912345678', 'nor the phone');
  t.equal(await count(svc, 'job_seekers'), 0);
});
