import t from 'tap';
import { build } from './helper.ts';
import { auth, createEmployer, createVacancy, type Svc } from './fixtures.ts';

const CITY = ['vacancies:read', 'vacancies:write', 'employers:write'];

async function ids(svc: Svc, query: string, regions = ['3205']): Promise<string[]> {
  const res = await svc.app.inject({ method: 'GET', url: `/v1/vacancies?${query}`, headers: auth(svc, CITY, regions) });
  if (res.statusCode !== 200) throw new Error(res.body);
  return res.json().items.map((v: { id: string }) => v.id);
}

t.test('filters by region, occupation and group, kind, source, status, reserved category, employer and title text', async (t) => {
  const svc = await build(t);
  const h = auth(svc, CITY, ['3205']);
  const employerId = (await svc.app.inject({ method: 'POST', url: '/v1/employers', headers: h, payload: { name: '长发商厦', creditCode: '91440300708461136T', communityCode: '320508024043' } })).json().id;
  const other = await createEmployer(svc, { name: '人民商场' });
  const mk = async (o: Record<string, unknown>) => (await svc.app.inject({ method: 'POST', url: '/v1/vacancies', headers: h, payload: { ...baseVacancy(employerId), ...o } })).json().id as string;
  const guard = await mk({ title: '商场保安员', occupationCode: '4-07-01' });
  const cctv = await mk({ title: '监控室值班员', occupationCode: '4-07-02', source: 'employer' });
  const cleaner = await mk({ title: '社区保洁员', occupationCode: '4-09-09', kind: 'public-welfare', reservedFor: ['ZERO_EMPLOYMENT_HOUSEHOLD'], communityCode: '320506001001' });
  const cook = await mk({ title: 'Line Cook 中式厨师', occupationCode: '4-03-01', kind: 'flexible', source: 'job-fair' });
  const theirs = await createVacancy(svc, other, { title: '收银员', occupationCode: '4-01-02' });
  await svc.app.inject({ method: 'POST', url: `/v1/vacancies/${cctv}/close`, headers: h, payload: { reason: 'filled elsewhere' } });

  t.same(await ids(svc, ''), [theirs.id, cook, cleaner, cctv, guard], 'newest first');
  t.same(await ids(svc, 'region=320506'), [cleaner]);
  t.same(await ids(svc, '', ['320508']), [theirs.id, cook, cctv, guard], 'a district caller sees its district only');
  t.same(await ids(svc, 'region=320506', ['320508']), [], 'a region outside the caller is empty, not an error');
  t.same(await ids(svc, 'occupation=4-07-01'), [guard]);
  t.same(await ids(svc, 'occupation=4-07'), [cctv, guard], 'by group');
  t.same(await ids(svc, 'occupation=4'), [theirs.id, cook, cleaner, cctv, guard], 'by major group');
  t.same(await ids(svc, 'kind=public-welfare'), [cleaner]);
  t.same(await ids(svc, 'source=job-fair'), [cook]);
  t.same(await ids(svc, 'status=closed'), [cctv]);
  t.same(await ids(svc, 'status=open&occupation=4-07'), [guard]);
  t.same(await ids(svc, 'reservedFor=ZERO_EMPLOYMENT_HOUSEHOLD'), [cleaner]);
  t.same(await ids(svc, `employerId=${other}`), [theirs.id]);
  t.same(await ids(svc, `q=${encodeURIComponent('保安')}`), [guard], 'substring');
  t.same(await ids(svc, `q=${encodeURIComponent('ＬＩＮＥ cook')}`), [cook], 'full-width and case folded');
  t.same(await ids(svc, `q=${encodeURIComponent('商场保安')}`), [guard]);
  t.same(await ids(svc, `q=${encodeURIComponent('监控值班员')}`), [cctv], 'trigram similarity finds a title with a word left out');

  for (const bad of ['occupation=4-7', 'kind=seasonal', 'status=done', 'reservedFor=VETERANS', 'region=abc', 'limit=0', `q=${encodeURIComponent('！！')}`]) {
    const res = await svc.app.inject({ method: 'GET', url: `/v1/vacancies?${bad}`, headers: h });
    t.equal(res.statusCode, 400, bad);
    t.match(res.json().errors[0].field, /^query\./, bad);
  }
});

t.test('pages by cursor, newest first, without repeats or gaps', async (t) => {
  const svc = await build(t);
  const employerId = await createEmployer(svc);
  const created: string[] = [];
  for (let i = 0; i < 7; i++) created.push((await createVacancy(svc, employerId, { title: `保安员${i}号岗` })).id);
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/v1/vacancies?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
    const page = (await svc.app.inject({ method: 'GET', url, headers: auth(svc) })).json();
    t.ok(page.items.length <= 3);
    seen.push(...page.items.map((v: { id: string }) => v.id));
    cursor = page.nextCursor;
  } while (cursor);
  t.same(seen, created.reverse());
  const forged = await svc.app.inject({ method: 'GET', url: `/v1/vacancies?cursor=${Buffer.from('{"at":1}').toString('base64url')}`, headers: auth(svc) });
  t.equal(forged.statusCode, 400);
});

t.test('a cursor timestamp with an offset Postgres refuses is a 400 on the vacancy and employer lists', async (t) => {
  const svc = await build(t);
  const id = '00000000-0000-4000-8000-000000000000';
  for (const at of ['2026-01-01 00:00:00+99', '2026-01-01 00:00:00.123456+16', '2026-01-01T00:00:00+15:60']) {
    const cursor = Buffer.from(JSON.stringify({ at, id })).toString('base64url');
    for (const list of ['/v1/vacancies', '/v1/employers']) {
      const res = await svc.app.inject({ method: 'GET', url: `${list}?cursor=${cursor}`, headers: auth(svc) });
      t.equal(res.statusCode, 400, `${list} ${at}: ${res.body}`);
      t.equal(res.json().errors?.[0]?.field, 'query.cursor', `${list} ${at}`);
    }
  }
  const cursor = Buffer.from(JSON.stringify({ at: '2026-01-01 00:00:00-15:59', id })).toString('base64url');
  const widest = await svc.app.inject({ method: 'GET', url: `/v1/vacancies?cursor=${cursor}`, headers: auth(svc) });
  t.equal(widest.statusCode, 200, 'the widest offset Postgres takes is a cursor');
});

function baseVacancy(employerId: string) {
  return {
    employerId,
    title: 'x',
    occupationCode: '4-07-01',
    wageMin: 3000,
    wageMax: 4000,
    headcount: 2,
    communityCode: '320508024043',
    kind: 'regular',
    source: 'coordinator',
    validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  };
}
