import t from 'tap';
import { makeIdNumber } from '@reemploy/domain';
import { eventContracts } from '@reemploy/events';
import { build } from '../helper.ts';
import { ALL, COMMUNITY, client, count } from '../fixtures.ts';

type Svc = Awaited<ReturnType<typeof build>>;
type Report = { line: number; status: string; id?: string; errors?: { field: string; message: string }[] };

const person = (i: number, birth: string, over: Record<string, unknown> = {}) => ({
  idNumber: makeIdNumber('320508', birth, 100 + i, i % 2 ? 'male' : 'female'),
  name: `成员${i}`,
  communityCode: COMMUNITY,
  education: 'junior-secondary',
  ...over,
});

function upload(svc: Svc, rows: object[] | string, type = 'application/x-ndjson') {
  const payload = typeof rows === 'string' ? rows : rows.map((r) => JSON.stringify(r)).join('\n');
  return svc.app.inject({ method: 'POST', url: '/v1/job-seekers/import', headers: { authorization: `Bearer ${svc.token(ALL)}`, 'content-type': type }, payload });
}

t.test('a household named by its ledger key: built from one file, same rules as the API, derived as a whole, re-upload changes nothing', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const rows = [
    person(1, '1976-05-01', { householdKey: 'HH-0007', relationship: 'head', laidOff: true }),
    person(2, '1978-02-03', { householdKey: 'HH-0007', relationship: 'spouse', laidOff: true }),
    person(3, '2006-09-09', { householdKey: 'HH-0007', relationship: 'child' }),
    // A second spouse is that row's error, as it is through POST /v1/job-seekers.
    person(4, '1979-01-01', { householdKey: 'HH-0007', relationship: 'spouse' }),
    // A single parent: the household's fields on its rows; a row saying otherwise fails.
    person(5, '1985-07-07', { householdKey: 'HH-0008', relationship: 'head', singleParent: true, minorChildren: 1 }),
    person(6, '2008-03-03', { householdKey: 'HH-0008', relationship: 'child', minorChildren: 2 }),
    // The same key in another community is another household.
    person(7, '1990-01-01', { householdKey: 'HH-0007', relationship: 'head', communityCode: '320508024001' }),
  ];
  const first = await upload(svc, rows);
  t.equal(first.statusCode, 200, first.body);
  const report: Report[] = first.json().report;
  t.same(report.map((r) => r.status), ['created', 'created', 'created', 'failed', 'created', 'failed', 'created']);
  t.same(report[3]!.errors, [{ field: 'relationship', message: 'the household already has a spouse' }]);
  t.same(report[5]!.errors, [{ field: 'minorChildren', message: 'differs from line 5 for the same householdKey' }]);
  t.equal(await count(svc, 'households'), 3);
  t.equal(await count(svc, 'job_seekers'), 5, 'nothing stored for the failed rows');

  const head = (await api.get(`/v1/job-seekers/${report[0]!.id}`)).json();
  const household = (await api.get(`/v1/households/${head.householdId}`)).json();
  t.same(household.members.map((m: { id: string; relationship: string }) => [m.id, m.relationship]).sort(), [[report[0]!.id, 'head'], [report[1]!.id, 'spouse'], [report[2]!.id, 'child']].sort());
  t.same([...household.hardshipCategories].sort(), ['DUAL_LAID_OFF', 'DUAL_UNEMPLOYED', 'ZERO_EMPLOYMENT_HOUSEHOLD']);
  t.match(household, { zeroEmployment: { offeredAt: null } });
  t.ok(head.hardshipCategories.includes('DUAL_UNEMPLOYED'), 'the head carries the dual category');
  const single = (await api.get(`/v1/households/${(await api.get(`/v1/job-seekers/${report[4]!.id}`)).json().householdId}`)).json();
  t.match(single, { singleParent: true, minorChildren: 1 });
  t.ok(single.hardshipCategories.includes('SINGLE_PARENT'));

  // Events: each member as seeker.registered (after the derivation), each household's categories.
  const { rows: events } = await svc.ctx.database.pool.query<{ type: string; payload: unknown }>('select type, payload from outbox order by seq');
  for (const e of events) eventContracts[e.type as keyof typeof eventContracts].schema.parse(e.payload);
  const registered = events.filter((e) => e.type === 'seeker.registered').map((e) => e.payload as { seekerId: string; householdId: string; hardshipCategories: string[] });
  t.equal(registered.length, 5);
  t.ok(registered.find((p) => p.seekerId === report[1]!.id)!.hardshipCategories.includes('DUAL_UNEMPLOYED'), 'published with the derived categories');
  t.equal(events.filter((e) => e.type === 'household.categories-changed').length, 3);

  const again = await upload(svc, rows);
  t.match(again.json(), { created: 0, updated: 0, unchanged: 5, failed: 2 });
  t.equal(await count(svc, 'outbox'), events.length, 'nothing published');
  t.equal(await count(svc, 'households'), 3, 'the keys find their households again');

  // The ledger changes: the spouse moves to the other community's HH-0007, as its spouse.
  const moved = await upload(svc, [{ ...rows[1], householdKey: 'HH-0007', communityCode: '320508024001' }]);
  t.match(moved.json().report, [{ status: 'updated', id: report[1]!.id }]);
  const after = (await api.get(`/v1/households/${head.householdId}`)).json();
  t.equal(after.members.length, 2, 'the spouse left');
  t.notOk(after.hardshipCategories.includes('DUAL_UNEMPLOYED'), 'the household it left is re-derived');
});

t.test('an existing household by id; household fields checked row by row; CSV', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const hh = (await api.post('/v1/households', { communityCode: COMMUNITY })).json();
  const other = (await api.post('/v1/households', { communityCode: '320508024001' })).json();
  const res = await upload(svc, [
    person(11, '1970-01-01', { householdId: hh.id, relationship: 'head' }),
    person(12, '1971-01-01', { householdId: '00000000-0000-4000-8000-000000000000', relationship: 'spouse' }),
    person(13, '1972-01-01', { householdId: other.id, relationship: 'spouse' }),
    person(14, '1973-01-01', { relationship: 'spouse' }),
    person(15, '1974-01-01', { householdId: hh.id }),
    person(16, '1975-01-01', { householdId: hh.id, householdKey: 'K', relationship: 'child' }),
    person(17, '1976-01-01', { householdId: hh.id, relationship: 'child', minorChildren: 1 }),
    person(18, '1977-01-01', { singleParent: true }),
    person(19, '1978-01-01', { householdKey: 'x'.repeat(65), relationship: 'child' }),
  ]);
  const report: Report[] = res.json().report;
  t.same(
    report.map((r) => (r.status === 'failed' ? r.errors![0]!.field : r.status)),
    ['created', 'householdId', 'householdId', 'relationship', 'relationship', 'householdKey', 'householdId', 'singleParent', 'householdKey'],
  );
  t.match(report[1]!.errors![0]!.message, /not a known household/);
  t.match(report[2]!.errors![0]!.message, /another community/);
  t.equal(await count(svc, 'job_seekers'), 1);
  t.match((await api.get(`/v1/households/${hh.id}`)).json(), { members: [{ id: report[0]!.id, relationship: 'head' }] });

  // A household outside the caller's regions is unknown to it.
  const outside = await svc.app.inject({
    method: 'POST',
    url: '/v1/job-seekers/import',
    headers: { authorization: `Bearer ${svc.token(ALL, ['320506'])}`, 'content-type': 'application/x-ndjson' },
    payload: JSON.stringify(person(20, '1980-01-01', { communityCode: '320506001012', householdId: hh.id, relationship: 'spouse' })),
  });
  t.equal(outside.json().report[0].status, 'failed');

  const csv = [
    'idNumber,name,communityCode,education,householdKey,relationship,singleParent,minorChildren',
    `${person(21, '1984-04-04').idNumber},母亲,${COMMUNITY},college,户-12,head,是,2`,
    `${person(22, '2010-04-04').idNumber},孩子,${COMMUNITY},college,户-12,child,,`,
  ].join('\r\n');
  const fromCsv = await upload(svc, '\uFEFF' + csv, 'text/csv');
  t.match(fromCsv.json(), { created: 2, failed: 0 });
  const mother = (await api.get(`/v1/job-seekers/${fromCsv.json().report[0].id}`)).json();
  const built = (await api.get(`/v1/households/${mother.householdId}`)).json();
  t.match(built, { singleParent: true, minorChildren: 2, members: [{}, {}] });
  t.same([...built.hardshipCategories].sort(), ['SINGLE_PARENT', 'ZERO_EMPLOYMENT_HOUSEHOLD']);
});

t.test('three generations and a minimum-livelihood certificate in one file: members name their spouse and parents by identity number', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const certificate = { minimumLivelihoodCertificate: '苏民低保2023第000777号', minimumLivelihoodSince: '2023-05-01' };
  const son = person(41, '1990-01-01');
  const rows = [
    person(40, '1962-01-01', { householdKey: 'HH-3', relationship: 'head', ...certificate }),
    { ...son, householdKey: 'HH-3', relationship: 'child', ownMinorChildren: 1 },
    // The wife names her husband, registered on the line before.
    person(42, '1991-02-02', { householdKey: 'HH-3', relationship: 'child-in-law', spouseIdNumber: son.idNumber }),
    person(44, '1993-03-03', { householdKey: 'HH-3', relationship: 'other', spouseIdNumber: son.idNumber }),
    person(45, '1994-04-04', { householdKey: 'HH-4', relationship: 'head', spouseIdNumber: son.idNumber }),
    person(46, '1995-05-05', { spouseIdNumber: son.idNumber }),
    person(47, '1996-06-06', { householdKey: 'HH-3', relationship: 'other', spouseIdNumber: person(49, '1980-01-01').idNumber }),
    person(48, '1997-07-07', { householdKey: 'HH-3', relationship: 'other', ...certificate, minimumLivelihoodSince: '2023-06-01' }),
  ];
  const res = await upload(svc, rows);
  t.equal(res.statusCode, 200, res.body);
  const report: Report[] = res.json().report;
  t.same(report.map((r) => (r.status === 'failed' ? `${r.errors![0]!.field}: ${r.errors![0]!.message}` : r.status)), [
    'created',
    'created',
    'created',
    'spouseIdNumber: is already the spouse of another member',
    'spouseIdNumber: is not a member of this household',
    'spouseIdNumber: is about the household: give householdId or householdKey with it',
    'spouseIdNumber: is not a member of this household',
    'minimumLivelihoodCertificate: differs from line 1 for the same householdKey',
  ]);
  t.notOk(JSON.stringify(report).includes(son.idNumber), 'no identity number in the report');
  const husband = (await api.get(`/v1/job-seekers/${report[1]!.id}`)).json();
  t.match(husband, { spouseId: report[2]!.id, ownMinorChildren: 1 });
  t.ok(husband.hardshipCategories.includes('DUAL_UNEMPLOYED') && husband.hardshipCategories.includes('MINIMUM_LIVELIHOOD'));
  const household = (await api.get(`/v1/households/${husband.householdId}`)).json();
  t.same(household.minimumLivelihood, { certificateNumber: '苏民低保2023第000777号', since: '2023-05-01' });
  t.same(household.hardshipBasis.find((b: { category: string }) => b.category === 'DUAL_UNEMPLOYED').memberIds, [report[1]!.id, report[2]!.id].sort(), 'the couple, in a stable order');
  t.ok(household.members.every((m: { hardshipCategories: string[] }) => m.hardshipCategories.includes('MINIMUM_LIVELIHOOD')), 'every member holds the household’s minimum livelihood');

  const version = household.version;
  const again = await upload(svc, rows.slice(0, 3));
  t.match(again.json(), { unchanged: 3 });
  // A changed row of the head that repeats the certificate leaves the household as it was.
  const renamed = await upload(svc, [{ ...rows[0], name: '改名' }]);
  t.match(renamed.json(), { updated: 1 });
  t.equal((await api.get(`/v1/households/${husband.householdId}`)).json().version, version, 'the same certificate changes nothing');
  // A row that leaves spouseIdNumber out keeps the link.
  const kept = await upload(svc, [{ ...rows[2], spouseIdNumber: undefined, name: '改名' }]);
  t.match(kept.json(), { updated: 1 });
  t.equal((await api.get(`/v1/job-seekers/${report[1]!.id}`)).json().spouseId, report[2]!.id);
});

t.test('a household that moves leaves its community ledger: its key can be taken there, and the key finds the household that stayed', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const OTHER = '320508024001';
  const first = await upload(svc, [
    person(21, '1970-01-01', { householdKey: 'HH-1', relationship: 'head' }),
    person(22, '1971-01-01', { householdKey: 'HH-1', relationship: 'head', communityCode: OTHER }),
  ]);
  const [mover, stayer] = first.json().report as Report[];
  const moverHousehold = (await api.get(`/v1/job-seekers/${mover!.id}`)).json().householdId;
  const stayerHousehold = (await api.get(`/v1/job-seekers/${stayer!.id}`)).json().householdId;
  // Moving into a community whose ledger already has HH-1 used to break its unique key (a 500).
  const moved = await api.patch(`/v1/households/${moverHousehold}`, { communityCode: OTHER }, { 'if-match': '*' });
  t.equal(moved.statusCode, 200, moved.body);
  t.equal((await api.get(`/v1/job-seekers/${mover!.id}`)).json().communityCode, OTHER, 'its members moved along');
  // The other community's file names its own HH-1 still; the old community's key is free for a new household.
  const again = await upload(svc, [
    person(23, '1972-01-01', { householdKey: 'HH-1', relationship: 'spouse', communityCode: OTHER }),
    person(24, '1973-01-01', { householdKey: 'HH-1', relationship: 'head' }),
  ]);
  const [joined, fresh] = again.json().report as Report[];
  t.equal((await api.get(`/v1/job-seekers/${joined!.id}`)).json().householdId, stayerHousehold);
  const freshHousehold = (await api.get(`/v1/job-seekers/${fresh!.id}`)).json().householdId;
  t.not(freshHousehold, moverHousehold, 'a new household under the freed key');
  t.not(freshHousehold, stayerHousehold);
});

t.test('a row without household fields cannot move a household member out of the household community', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const hh = (await api.post('/v1/households', { communityCode: COMMUNITY })).json().id;
  const alone = person(31, '1975-05-05');
  const id = (await api.post('/v1/job-seekers', { ...alone, householdId: hh, relationship: 'head' })).json().id;
  // PATCH /v1/job-seekers refuses this move; the import applies the same rule.
  const res = await upload(svc, [{ ...alone, communityCode: '320506001012' }]);
  t.match(res.json().report, [{ status: 'failed', errors: [{ field: 'communityCode', message: /household/ }] }]);
  t.equal((await api.get(`/v1/job-seekers/${id}`)).json().communityCode, COMMUNITY, 'the person stays where the household is');
  const sameCommunity = await upload(svc, [{ ...alone, name: '改名' }]);
  t.match(sameCommunity.json().report, [{ status: 'updated', id }], 'a change inside the household community still applies');
  t.equal((await api.get(`/v1/job-seekers/${id}`)).json().householdId, hh);
});

t.test('a household shows only the members inside the caller regions', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const hh = (await api.post('/v1/households', { communityCode: COMMUNITY })).json().id;
  const inside = (await api.post('/v1/job-seekers', person(32, '1975-05-05', { householdId: hh, relationship: 'head' }))).json().id;
  const outside = (await api.post('/v1/job-seekers', person(33, '1976-06-06', { householdId: hh, relationship: 'spouse' }))).json().id;
  // Data written before the import kept members with their household's community.
  await svc.ctx.database.pool.query("update job_seekers set community_code = '320506001012' where id = $1", [outside]);
  const district = client(svc, ALL, ['320508']);
  const read = await district.get(`/v1/households/${hh}`);
  t.equal(read.statusCode, 200, read.body);
  t.same(read.json().members.map((m: { id: string }) => m.id), [inside], 'the member registered in 320506 is not shown');
  t.same(read.json().hardshipBasis.find((b: { category: string }) => b.category === 'DUAL_UNEMPLOYED').memberIds, [inside], 'nor named in what a category rests on');
  const listed = await district.get('/v1/households');
  t.same(listed.json().items[0].members.map((m: { id: string }) => m.id), [inside], 'nor in the list');
  t.same((await api.get(`/v1/households/${hh}`)).json().members.map((m: { id: string }) => m.id).sort(), [inside, outside].sort(), 'the city sees both');
});
