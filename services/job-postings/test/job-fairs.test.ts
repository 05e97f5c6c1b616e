import t from 'tap';
import { cityDate } from '@reemploy/domain';
import { build } from './helper.ts';
import { auth, count, createEmployer, createVacancy, type Svc } from './fixtures.ts';

function day(offset: number): string {
  return cityDate(new Date(Date.now() + offset * 86_400_000));
}

function fair(overrides: Record<string, unknown> = {}) {
  return {
    name: '姑苏区4050人员专场招聘会',
    date: day(7),
    startsAt: '09:00',
    endsAt: '11:30',
    venue: '姑苏区人力资源市场一楼大厅',
    communityCode: '320508024043',
    targetGroups: ['OLDER_4050', 'ZERO_EMPLOYMENT_HOUSEHOLD'],
    ...overrides,
  };
}

async function createFair(svc: Svc, overrides: Record<string, unknown> = {}, regions = ['3205']) {
  const res = await svc.app.inject({ method: 'POST', url: '/v1/job-fairs', headers: auth(svc, undefined, regions), payload: fair(overrides) });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json();
}

t.test('creates a fair; each invalid field is named and nothing is stored', async (t) => {
  const svc = await build(t);
  const created = await createFair(svc);
  t.match(created, { date: day(7), targetGroups: ['OLDER_4050', 'ZERO_EMPLOYMENT_HOUSEHOLD'], vacancies: 0 });
  const cases: [Record<string, unknown>, string, number?][] = [
    [{ date: day(-1) }, 'body.date'],
    [{ date: '2026-02-30' }, 'body.date'],
    [{ endsAt: '08:00' }, 'body.endsAt'],
    [{ startsAt: '25:00' }, 'body.startsAt'],
    [{ targetGroups: ['STUDENTS'] }, 'body.targetGroups'],
    [{ venue: '' }, 'body.venue'],
    [{ communityCode: '320506001001' }, 'body.communityCode', 403],
  ];
  for (const [overrides, field, status = 400] of cases) {
    const res = await svc.app.inject({ method: 'POST', url: '/v1/job-fairs', headers: auth(svc), payload: fair(overrides) });
    t.equal(res.statusCode, status, JSON.stringify(overrides));
    t.ok(res.json().errors?.some((e: { field: string }) => e.field.startsWith(field)), `${field}: ${res.body}`);
  }
  t.equal(await count(svc, 'job_fairs'), 1);
});

t.test('lists upcoming fairs by region, soonest first, by target group, paged', async (t) => {
  const svc = await build(t);
  const later = await createFair(svc, { date: day(20), targetGroups: [] });
  const soon = await createFair(svc, { date: day(0) });
  const elsewhere = await createFair(svc, { date: day(3), communityCode: '320506001001' });
  await svc.ctx.database.pool.query(`insert into job_fairs (id, name, date, venue, community_code, created_by) values (gen_random_uuid(), 'past', current_date - 10, 'v', '320508024043', 't')`);
  const list = async (q: string, regions = ['3205']) =>
    (await svc.app.inject({ method: 'GET', url: `/v1/job-fairs?${q}`, headers: auth(svc, ['vacancies:read'], regions) })).json().items.map((f: { id: string }) => f.id);
  t.same(await list(''), [soon.id, elsewhere.id, later.id], 'upcoming only, soonest first');
  t.same(await list('', ['320508']), [soon.id, later.id], 'the caller’s regions');
  t.same(await list('region=320506'), [elsewhere.id]);
  t.same(await list('targetGroup=OLDER_4050'), [soon.id, elsewhere.id]);
  t.same(await list(`to=${day(5)}`), [soon.id, elsewhere.id]);
  const city = auth(svc, ['vacancies:read'], ['3205']);
  const first = (await svc.app.inject({ method: 'GET', url: '/v1/job-fairs?limit=2', headers: city })).json();
  const second = (await svc.app.inject({ method: 'GET', url: `/v1/job-fairs?limit=2&cursor=${first.nextCursor}`, headers: city })).json();
  t.same([...first.items, ...second.items].map((f: { id: string }) => f.id), [soon.id, elsewhere.id, later.id]);
  t.equal(second.nextCursor, null);
});

t.test('attaches open vacancies once; refuses closed, unknown or foreign ones naming each', async (t) => {
  const svc = await build(t);
  const f = await createFair(svc);
  const employerId = await createEmployer(svc);
  const a = await createVacancy(svc, employerId, { title: '保安员' });
  const b = await createVacancy(svc, employerId, { title: '保洁员', occupationCode: '4-09-01' });
  const c = await createVacancy(svc, employerId, { title: '收银员', occupationCode: '4-01-02' });
  await svc.app.inject({ method: 'POST', url: `/v1/vacancies/${c.id}/close`, headers: auth(svc), payload: { reason: 'x' } });
  const url = `/v1/job-fairs/${f.id}/vacancies`;

  const res = await svc.app.inject({ method: 'POST', url, headers: auth(svc), payload: { vacancyIds: [a.id, b.id] } });
  t.equal(res.statusCode, 200, res.body);
  t.same(res.json().attached.sort(), [a.id, b.id].sort());
  const again = await svc.app.inject({ method: 'POST', url, headers: auth(svc), payload: { vacancyIds: [a.id] } });
  t.same(again.json(), { jobFairId: f.id, attached: [], alreadyAttached: [a.id] });

  const bad = await svc.app.inject({ method: 'POST', url, headers: auth(svc), payload: { vacancyIds: [c.id, '00000000-0000-4000-8000-000000000000'] } });
  t.equal(bad.statusCode, 400);
  t.same(bad.json().errors.map((e: { field: string }) => e.field), ['body.vacancyIds.0', 'body.vacancyIds.1']);

  const read = await svc.app.inject({ method: 'GET', url: `/v1/job-fairs/${f.id}`, headers: auth(svc) });
  t.equal(read.json().vacancies, 2);
  const shown = await svc.app.inject({ method: 'GET', url: `${url}?occupation=4-07`, headers: auth(svc) });
  t.same(shown.json().items.map((v: { id: string }) => v.id), [a.id], 'with the vacancy filters');
  const hidden = await svc.app.inject({ method: 'GET', url: `/v1/job-fairs/${f.id}`, headers: auth(svc, ['vacancies:read'], ['320506']) });
  t.equal(hidden.statusCode, 404);
});

t.test('a day in the year 0000, which Postgres does not have, is a 400 naming the field', async (t) => {
  const svc = await build(t);
  const headers = auth(svc, ['vacancies:read']);
  const cases: [string, string][] = [
    ['from=0000-01-01', 'query.from'],
    ['to=0000-12-31', 'query.to'],
    [`cursor=${Buffer.from(JSON.stringify({ date: '0000-06-01', id: '00000000-0000-4000-8000-000000000000' })).toString('base64url')}`, 'query.cursor'],
  ];
  for (const [query, field] of cases) {
    const res = await svc.app.inject({ method: 'GET', url: `/v1/job-fairs?${query}`, headers });
    t.equal(res.statusCode, 400, `${query}: ${res.body}`);
    t.equal(res.json().errors?.[0]?.field, field, query);
  }
  const first = await svc.app.inject({ method: 'GET', url: '/v1/job-fairs?from=0001-01-01', headers });
  t.equal(first.statusCode, 200, 'the year 0001 is a day');
});

t.test('attaching with an Idempotency-Key: a repeat answers the first response, another body with the same key is refused', async (t) => {
  const svc = await build(t);
  const f = await createFair(svc);
  const employerId = await createEmployer(svc);
  const a = await createVacancy(svc, employerId, { title: '保安员' });
  const b = await createVacancy(svc, employerId, { title: '保洁员', occupationCode: '4-09-01' });
  const url = `/v1/job-fairs/${f.id}/vacancies`;
  const headers = { ...auth(svc), 'idempotency-key': 'fair-attach-001' };
  const first = await svc.app.inject({ method: 'POST', url, headers, payload: { vacancyIds: [a.id] } });
  t.equal(first.statusCode, 200, first.body);
  t.same(first.json().attached, [a.id]);
  const repeat = await svc.app.inject({ method: 'POST', url, headers, payload: { vacancyIds: [a.id] } });
  t.equal(repeat.statusCode, 200);
  t.equal(repeat.headers['idempotent-replayed'], 'true');
  t.equal(repeat.body, first.body, 'the first answer, not "already attached"');
  const other = await svc.app.inject({ method: 'POST', url, headers, payload: { vacancyIds: [b.id] } });
  t.equal(other.statusCode, 422, other.body);
  t.equal(await count(svc, 'job_fair_vacancies'), 1, 'b was not attached');
});

t.test('a merge moves the duplicate’s job-fair attachments to the kept vacancy', async (t) => {
  const svc = await build(t);
  const onlyDup = await createFair(svc);
  const both = await createFair(svc, { name: '姑苏区零就业家庭专场' });
  const employerId = await createEmployer(svc);
  const keep = await createVacancy(svc, employerId, { title: '商场保安员' });
  const dup = await createVacancy(svc, employerId, { title: '商场保安员(招聘会)', source: 'job-fair' });
  const attach = (fairId: string, vacancyIds: string[]) => svc.app.inject({ method: 'POST', url: `/v1/job-fairs/${fairId}/vacancies`, headers: auth(svc), payload: { vacancyIds } });
  t.equal((await attach(onlyDup.id, [dup.id])).statusCode, 200);
  t.equal((await attach(both.id, [keep.id, dup.id])).statusCode, 200);

  const merged = await svc.app.inject({ method: 'POST', url: `/v1/vacancies/${keep.id}/merge`, headers: auth(svc), payload: { duplicateId: dup.id } });
  t.equal(merged.statusCode, 200, merged.body);
  for (const fair of [onlyDup, both]) {
    const shown = await svc.app.inject({ method: 'GET', url: `/v1/job-fairs/${fair.id}/vacancies`, headers: auth(svc) });
    t.same(shown.json().items.map((v: { id: string }) => v.id), [keep.id], `${fair.name} shows the kept vacancy only`);
    t.equal((await svc.app.inject({ method: 'GET', url: `/v1/job-fairs/${fair.id}`, headers: auth(svc) })).json().vacancies, 1);
  }
  const byDup = await svc.app.inject({ method: 'GET', url: `/v1/vacancies?jobFairId=${onlyDup.id}&status=closed`, headers: auth(svc) });
  t.same(byDup.json().items, [], 'the closed duplicate is at no fair');
});
