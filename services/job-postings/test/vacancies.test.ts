import t from 'tap';
import { build } from './helper.ts';
import { auth, COMMUNITY, count, createEmployer, createVacancy, inDays, OTHER_DISTRICT_COMMUNITY, outboxTypes, vacancy, withOffset } from './fixtures.ts';

t.test('creates an open vacancy and publishes its full snapshot in the same transaction', async (t) => {
  const svc = await build(t);
  const employerId = await createEmployer(svc);
  const res = await svc.app.inject({ method: 'POST', url: '/v1/vacancies', headers: auth(svc), payload: vacancy(employerId) });
  t.equal(res.statusCode, 201, res.body);
  const v = res.json();
  t.match(v, { status: 'open', headcount: 3, headcountLeft: 3, sources: ['coordinator'], occupationName: '保安员', employerName: '苏州长发商厦有限公司', nearDuplicates: [] });
  t.equal(res.headers.location, `/v1/vacancies/${v.id}`);
  const { rows } = await svc.ctx.database.pool.query('select type, payload from outbox where subject = $1', [v.id]);
  t.equal(rows.length, 1);
  t.equal(rows[0].type, 'vacancy.created');
  t.match(rows[0].payload, { vacancyId: v.id, employerId, occupationCode: '4-07-01', headcountLeft: 3, status: 'open', skills: ['S010-01', 'S010-02'] });
});

t.test('every validation failure names its field and stores nothing', async (t) => {
  const svc = await build(t);
  const employerId = await createEmployer(svc);
  const cases: [string, Record<string, unknown>, string, number?][] = [
    ['age under 16', { minAge: 15 }, 'body.minAge'],
    ['age over 65', { maxAge: 66 }, 'body.maxAge'],
    ['min age above max age', { minAge: 50, maxAge: 40 }, 'body.maxAge'],
    ['wage range inverted', { wageMin: 5000, wageMax: 4000 }, 'body.wageMax'],
    ['negative wage', { wageMin: -1 }, 'body.wageMin'],
    ['no headcount', { headcount: 0 }, 'body.headcount'],
    ['fractional headcount', { headcount: 1.5 }, 'body.headcount'],
    ['expired already', { validUntil: inDays(-1) }, 'body.validUntil'],
    ['too far ahead', { validUntil: inDays(400) }, 'body.validUntil'],
    ['not a date', { validUntil: 'next week' }, 'body.validUntil'],
    ['unknown occupation', { occupationCode: '4-07-99' }, 'body.occupationCode'],
    ['malformed occupation', { occupationCode: '40701' }, 'body.occupationCode'],
    ['unknown skill', { skills: ['S010-01', 'S999-01'] }, 'body.skills'],
    ['repeated skill', { skills: ['S010-01', 'S010-01'] }, 'body.skills'],
    ['public welfare for nobody', { kind: 'public-welfare', reservedFor: [] }, 'body.reservedFor'],
    ['unknown category', { kind: 'public-welfare', reservedFor: ['VETERANS'] }, 'body.reservedFor'],
    ['unknown kind', { kind: 'seasonal' }, 'body.kind'],
    ['unknown source', { source: 'newspaper' }, 'body.source'],
    ['unknown education', { educationMin: 'phd' }, 'body.educationMin'],
    ['title of punctuation only', { title: '【】！' }, 'body.title'],
    ['empty title', { title: '  ' }, 'body.title'],
    ['malformed community', { communityCode: '32050802404' }, 'body.communityCode'],
    ['community outside the caller regions', { communityCode: '320506001001' }, 'body.communityCode', 403],
    ['unknown employer', { employerId: '00000000-0000-4000-8000-000000000000' }, 'body.employerId'],
    ['unknown key', { salary: 1 }, 'body'],
  ];
  for (const [name, overrides, field, status = 400] of cases) {
    const res = await svc.app.inject({ method: 'POST', url: '/v1/vacancies', headers: auth(svc), payload: vacancy(employerId, overrides) });
    t.equal(res.statusCode, status, `${name}: ${res.body}`);
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', name);
    t.ok(
      res.json().errors?.some((e: { field: string }) => e.field.startsWith(field)),
      `${name} names ${field}: ${JSON.stringify(res.json().errors)}`,
    );
  }
  t.equal(await count(svc, 'vacancies'), 0, 'nothing stored');
  t.same(await outboxTypes(svc), [], 'nothing published');
});

t.test('validUntil with any offset ISO allows is stored as the instant it names, on create and on change', async (t) => {
  const svc = await build(t);
  const employerId = await createEmployer(svc);
  // Postgres refuses offsets beyond ±15:59 itself; the offset is only notation.
  const until = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const created = await svc.app.inject({ method: 'POST', url: '/v1/vacancies', headers: auth(svc), payload: vacancy(employerId, { validUntil: withOffset(until, 20 * 60) }) });
  t.equal(created.statusCode, 201, created.body);
  t.equal(created.json().validUntil, until);

  const later = new Date(Date.now() + 60 * 86_400_000).toISOString();
  const url = `/v1/vacancies/${created.json().id}`;
  const patched = await svc.app.inject({ method: 'PATCH', url, headers: { ...auth(svc), 'if-match': created.headers.etag as string }, payload: { validUntil: withOffset(later, -(23 * 60 + 59)) } });
  t.equal(patched.statusCode, 200, patched.body);
  t.equal(patched.json().validUntil, later);
  const { rows } = await svc.ctx.database.pool.query('select valid_until from vacancies where id = $1', [created.json().id]);
  t.equal(rows[0].valid_until.toISOString(), later);
});

t.test('near duplicates list only vacancies inside the caller regions', async (t) => {
  const svc = await build(t);
  const employerId = await createEmployer(svc);
  const city = auth(svc, undefined, ['3205']);
  const here = await createVacancy(svc, employerId, { title: '商场保安员' });
  const res = await svc.app.inject({ method: 'POST', url: '/v1/vacancies', headers: city, payload: vacancy(employerId, { title: '商场保安员夜班', communityCode: OTHER_DISTRICT_COMMUNITY }) });
  t.equal(res.statusCode, 201, res.body);
  const elsewhere = res.json();

  const district = auth(svc, undefined, ['320508']);
  t.equal((await svc.app.inject({ method: 'GET', url: `/v1/vacancies/${elsewhere.id}`, headers: district })).statusCode, 404, 'the district caller cannot read it');
  const read = await svc.app.inject({ method: 'GET', url: `/v1/vacancies/${here.id}`, headers: district });
  t.same(read.json().nearDuplicates, [], 'nor see it as a near duplicate');
  const another = await svc.app.inject({ method: 'POST', url: '/v1/vacancies', headers: district, payload: vacancy(employerId, { title: '商场保安员(白班)' }) });
  t.same(another.json().nearDuplicates.map((d: { id: string }) => d.id), [here.id], 'on a create either');
  const cityRead = await svc.app.inject({ method: 'GET', url: `/v1/vacancies/${here.id}`, headers: city });
  t.same(cityRead.json().nearDuplicates.map((d: { id: string }) => d.id).sort(), [elsewhere.id, another.json().id].sort(), 'a city caller sees both');
});

t.test('a public-welfare post reserved for hardship groups is accepted', async (t) => {
  const svc = await build(t);
  const employerId = await createEmployer(svc);
  const v = await createVacancy(svc, employerId, { kind: 'public-welfare', reservedFor: ['ZERO_EMPLOYMENT_HOUSEHOLD', 'OLDER_4050'], title: '社区保洁员', occupationCode: '4-09-09' });
  t.same(v.reservedFor, ['ZERO_EMPLOYMENT_HOUSEHOLD', 'OLDER_4050']);
  t.equal(v.kind, 'public-welfare');
});

t.test('the same post twice while open is a 409 naming it, whatever the width, case, spaces or punctuation', async (t) => {
  const svc = await build(t);
  const employerId = await createEmployer(svc);
  const first = await createVacancy(svc, employerId, { title: '【急招】商场保安员 (夜班) A' });
  for (const title of ['急招商场保安员夜班a', '【急招】 商场保安员（夜班）Ａ', '急招-商场保安员/夜班 a']) {
    const res = await svc.app.inject({ method: 'POST', url: '/v1/vacancies', headers: auth(svc), payload: vacancy(employerId, { title }) });
    t.equal(res.statusCode, 409, title);
    t.equal(res.json().existingId, first.id, title);
  }
  t.equal(await count(svc, 'vacancies'), 1);

  // Another community, occupation or employer is another post.
  const elsewhere = await svc.app.inject({ method: 'POST', url: '/v1/vacancies', headers: auth(svc, undefined, ['3205']), payload: vacancy(employerId, { title: '急招商场保安员夜班A', communityCode: '320508024044' }) });
  t.equal(elsewhere.statusCode, 201);
  // Same employer and occupation: listed as a near duplicate for a coordinator to merge.
  t.same(elsewhere.json().nearDuplicates.map((d: { id: string }) => d.id), [first.id]);
  t.equal(elsewhere.json().nearDuplicates[0].similarity, 1);

  // Once closed, the post may be published again.
  await svc.app.inject({ method: 'POST', url: `/v1/vacancies/${first.id}/close`, headers: auth(svc), payload: { reason: '招满' } });
  const again = await svc.app.inject({ method: 'POST', url: '/v1/vacancies', headers: auth(svc), payload: vacancy(employerId, { title: '急招商场保安员夜班A' }) });
  t.equal(again.statusCode, 201, again.body);
});

t.test('near duplicates: same employer and occupation with a similar or contained title, both ways', async (t) => {
  const svc = await build(t);
  const employerId = await createEmployer(svc);
  const otherEmployer = await createEmployer(svc, { name: '另一家公司' });
  const a = await createVacancy(svc, employerId, { title: '商场保安员' });
  const b = await createVacancy(svc, employerId, { title: '商场保安员夜班' });
  const unrelated = await createVacancy(svc, employerId, { title: '停车场管理', occupationCode: '4-06-05' });
  const otherCo = await createVacancy(svc, otherEmployer, { title: '商场保安员' });
  t.same(b.nearDuplicates.map((d: { id: string }) => d.id), [a.id]);
  const readA = (await svc.app.inject({ method: 'GET', url: `/v1/vacancies/${a.id}`, headers: auth(svc) })).json();
  t.same(readA.nearDuplicates.map((d: { id: string }) => d.id), [b.id], 'listed on the older one too');
  t.same(unrelated.nearDuplicates, []);
  t.same(otherCo.nearDuplicates, [], 'another employer is not a duplicate');
});

t.test('Idempotency-Key: a retried create returns the first response and stores one vacancy', async (t) => {
  const svc = await build(t);
  const employerId = await createEmployer(svc);
  const headers = { ...auth(svc), 'idempotency-key': 'collect-2026-11-29-001' };
  const payload = vacancy(employerId);
  const first = await svc.app.inject({ method: 'POST', url: '/v1/vacancies', headers, payload });
  const retry = await svc.app.inject({ method: 'POST', url: '/v1/vacancies', headers, payload });
  t.equal(first.statusCode, 201);
  t.equal(retry.statusCode, 201);
  t.equal(retry.headers['idempotent-replayed'], 'true');
  t.equal(retry.json().id, first.json().id);
  t.equal(await count(svc, 'vacancies'), 1);
  t.equal(COMMUNITY, payload.communityCode);
});

t.test('reads outside the caller regions are 404; the taxonomy is served and searchable', async (t) => {
  const svc = await build(t);
  const employerId = await createEmployer(svc);
  const v = await createVacancy(svc, employerId);
  const hidden = await svc.app.inject({ method: 'GET', url: `/v1/vacancies/${v.id}`, headers: auth(svc, ['vacancies:read'], ['320506']) });
  t.equal(hidden.statusCode, 404);

  const occ = await svc.app.inject({ method: 'GET', url: `/v1/taxonomy/occupations?q=${encodeURIComponent('保安员')}`, headers: auth(svc, ['vacancies:read']) });
  t.equal(occ.statusCode, 200);
  t.equal(occ.json().items[0].code, '4-07-01');
  t.equal(occ.json().items[0].group, '4-07');
  const en = await svc.app.inject({ method: 'GET', url: '/v1/taxonomy/skills?q=FORKLIFT', headers: auth(svc, ['vacancies:read']) });
  t.ok(en.json().items.some((s: { code: string }) => s.code === 'S018-05'));
  const all: string[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/v1/taxonomy/occupations?limit=100${cursor ? `&cursor=${cursor}` : ''}`;
    const page = (await svc.app.inject({ method: 'GET', url, headers: auth(svc, ['vacancies:read']) })).json();
    all.push(...page.items.map((o: { code: string }) => o.code));
    cursor = page.nextCursor;
  } while (cursor);
  t.ok(all.length >= 150);
  t.equal(new Set(all).size, all.length);
  const missing = await svc.app.inject({ method: 'GET', url: '/v1/taxonomy/occupations/9-99-99', headers: auth(svc, ['vacancies:read']) });
  t.equal(missing.statusCode, 404);
});
