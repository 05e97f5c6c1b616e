import t from 'tap';
import { build } from './helper.ts';
import { auth, basePayload, count, READ, WRITE } from './support.ts';

t.test('registers a base and reads it back with empty figures', async (t) => {
  const svc = await build(t);
  const headers = auth(svc.token([READ, WRITE], ['320508']));
  const res = await svc.app.inject({ method: 'POST', url: '/v1/aid-bases', headers, payload: basePayload({ sectors: ['零售', '零售', '餐饮'] }) });
  t.equal(res.statusCode, 201, res.body);
  const body = res.json();
  t.equal(res.headers.location, `/v1/aid-bases/${body.id}`);
  t.same(body.sectors, ['零售', '餐饮'], 'sectors deduplicated');
  t.equal(body.cohort, 'added');
  t.same(body.reservedPosts, { active: 0, filled: 0, withdrawn: 0, quota: 0, placed: 0 });
  t.same(body.placements, { total: 0, byCategory: {}, byMonth: {} });

  const read = await svc.app.inject({ url: `/v1/aid-bases/${body.id}`, headers });
  t.equal(read.statusCode, 200);
  t.equal(read.json().name, '人民商场');
  t.same(read.json().posts, []);
  t.equal(read.headers.etag, res.headers.etag);
});

t.test('the same name twice is a 409 naming the first base', async (t) => {
  const svc = await build(t);
  const headers = auth(svc.token([WRITE]));
  const first = await svc.app.inject({ method: 'POST', url: '/v1/aid-bases', headers, payload: basePayload() });
  const again = await svc.app.inject({ method: 'POST', url: '/v1/aid-bases', headers, payload: basePayload({ address: '别处' }) });
  t.equal(again.statusCode, 409);
  t.equal(again.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal(again.json().existingId, first.json().id);
  t.equal(await count(svc, 'aid_bases'), 1);
});

t.test('each invalid field is a 400 naming it, and nothing is stored', async (t) => {
  const svc = await build(t);
  const headers = auth(svc.token([WRITE], ['320508']));
  const cases: [Record<string, unknown>, string][] = [
    [{ name: '   ' }, 'body.name'],
    [{ communityCode: '32050801803' }, 'body.communityCode'],
    [{ communityCode: '3205080180AB' }, 'body.communityCode'],
    [{ address: '' }, 'body.address'],
    [{ joinedYear: 1800 }, 'body.joinedYear'],
    [{ joinedYear: '2005' }, 'body.joinedYear'],
    [{ cohort: 'original' }, 'body.cohort'],
    [{ sectors: 'retail' }, 'body.sectors'],
    [{ placements: 3 }, 'body.placements'],
  ];
  for (const [override, field] of cases) {
    const res = await svc.app.inject({ method: 'POST', url: '/v1/aid-bases', headers, payload: basePayload(override) });
    t.equal(res.statusCode, 400, `${field}: ${res.body}`);
    t.ok(
      res.json().errors.some((e: { field: string }) => e.field === field),
      `${JSON.stringify(override)} names ${field}`,
    );
  }
  const missing = await svc.app.inject({ method: 'POST', url: '/v1/aid-bases', headers, payload: { name: 'x' } });
  t.equal(missing.statusCode, 400);
  const outside = await svc.app.inject({ method: 'POST', url: '/v1/aid-bases', headers, payload: basePayload({ communityCode: '320506001001' }) });
  t.equal(outside.statusCode, 403);
  t.equal(outside.json().errors[0].field, 'body.communityCode');
  t.equal(await count(svc, 'aid_bases'), 0);
});

t.test('the list pages by cursor, filters by region and cohort, and refuses a forged cursor', async (t) => {
  const svc = await build(t);
  const headers = auth(svc.token([READ, WRITE]));
  const codes = ['320508018036', '320508020025', '320505001001', '320508024043', '320506002002'];
  for (const [i, code] of codes.entries()) {
    const res = await svc.app.inject({ method: 'POST', url: '/v1/aid-bases', headers, payload: basePayload({ name: `基地${i}`, communityCode: code, cohort: i < 2 ? 'existing' : 'added' }) });
    t.equal(res.statusCode, 201, res.body);
  }
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const q: string = cursor ? `&cursor=${cursor}` : '';
    const page = await svc.app.inject({ url: `/v1/aid-bases?limit=2${q}`, headers });
    t.equal(page.statusCode, 200, page.body);
    t.ok(page.json().items.length <= 2);
    seen.push(...page.json().items.map((b: { name: string }) => b.name));
    cursor = page.json().nextCursor;
  } while (cursor);
  t.same(seen, ['基地0', '基地1', '基地2', '基地3', '基地4'], 'every base once, in name order');

  const gusu = await svc.app.inject({ url: '/v1/aid-bases', headers: auth(svc.token([READ], ['320508'])) });
  t.same(gusu.json().items.map((b: { communityCode: string }) => b.communityCode).sort(), ['320508018036', '320508020025', '320508024043']);
  const narrowed = await svc.app.inject({ url: '/v1/aid-bases?regionCode=320508020', headers: auth(svc.token([READ], ['320508'])) });
  t.same(narrowed.json().items.map((b: { name: string }) => b.name), ['基地1']);
  const wider = await svc.app.inject({ url: '/v1/aid-bases?regionCode=3205', headers: auth(svc.token([READ], ['320505'])) });
  t.same(wider.json().items.map((b: { name: string }) => b.name), ['基地2'], 'a wider request is narrowed to the caller regions');
  const existing = await svc.app.inject({ url: '/v1/aid-bases?cohort=existing', headers });
  t.equal(existing.json().items.length, 2);

  const forged = await svc.app.inject({ url: '/v1/aid-bases?cursor=eyJuIjoxfQ', headers });
  t.equal(forged.statusCode, 400);
  t.equal(forged.json().errors[0].field, 'query.cursor');
  // Placements are counted as a Postgres int: a larger count in a cursor was never produced by this list.
  const huge = Buffer.from(JSON.stringify({ p: 2 ** 31, n: '基地0', i: '00000000-0000-4000-8000-000000000000' })).toString('base64url');
  const beyond = await svc.app.inject({ url: `/v1/aid-bases?sort=placements&cursor=${huge}`, headers });
  t.equal(beyond.statusCode, 400, beyond.body);
  t.equal(beyond.json().errors?.[0]?.field, 'query.cursor');
  const largest = Buffer.from(JSON.stringify({ p: 2 ** 31 - 1, n: '基地0', i: '00000000-0000-4000-8000-000000000000' })).toString('base64url');
  t.equal((await svc.app.inject({ url: `/v1/aid-bases?sort=placements&cursor=${largest}`, headers })).statusCode, 200, 'the largest int is a cursor');
});

t.test('a read outside the caller regions is a 404; scopes are enforced', async (t) => {
  const svc = await build(t);
  const created = await svc.app.inject({ method: 'POST', url: '/v1/aid-bases', headers: auth(svc.token([WRITE])), payload: basePayload() });
  const other = await svc.app.inject({ url: `/v1/aid-bases/${created.json().id}`, headers: auth(svc.token([READ], ['320506'])) });
  t.equal(other.statusCode, 404);
  const noScope = await svc.app.inject({ method: 'POST', url: '/v1/aid-bases', headers: auth(svc.token([READ])), payload: basePayload({ name: 'x' }) });
  t.equal(noScope.statusCode, 403);
  const anonymous = await svc.app.inject({ url: '/v1/aid-bases' });
  t.equal(anonymous.statusCode, 401);
});

t.test('PATCH needs If-Match, refuses a stale one and bumps the ETag', async (t) => {
  const svc = await build(t);
  const headers = auth(svc.token([READ, WRITE], ['320508']));
  const created = await svc.app.inject({ method: 'POST', url: '/v1/aid-bases', headers, payload: basePayload() });
  const url = `/v1/aid-bases/${created.json().id}`;
  const etag = created.headers.etag as string;

  const without = await svc.app.inject({ method: 'PATCH', url, headers, payload: { address: '人民路 1 号' } });
  t.equal(without.statusCode, 428);
  const ok = await svc.app.inject({ method: 'PATCH', url, headers: { ...headers, 'if-match': etag }, payload: { address: '人民路 1 号', sectors: ['零售'] } });
  t.equal(ok.statusCode, 200, ok.body);
  t.equal(ok.json().address, '人民路 1 号');
  t.not(ok.headers.etag, etag);
  const stale = await svc.app.inject({ method: 'PATCH', url, headers: { ...headers, 'if-match': etag }, payload: { address: '别处' } });
  t.equal(stale.statusCode, 412);
  const outside = await svc.app.inject({ method: 'PATCH', url, headers: { ...headers, 'if-match': ok.headers.etag as string }, payload: { communityCode: '320506001001' } });
  t.equal(outside.statusCode, 403);
  t.equal(outside.json().errors[0].field, 'body.communityCode');
  const empty = await svc.app.inject({ method: 'PATCH', url, headers: { ...headers, 'if-match': ok.headers.etag as string }, payload: {} });
  t.equal(empty.statusCode, 400);
  const read = await svc.app.inject({ url, headers });
  t.equal(read.json().address, '人民路 1 号', 'refused changes stored nothing');
});

t.test("a base's own token sees and changes only that base", async (t) => {
  const svc = await build(t);
  const city = auth(svc.token([READ, WRITE]));
  const mine = (await svc.app.inject({ method: 'POST', url: '/v1/aid-bases', headers: city, payload: basePayload() })).json();
  const theirs = (await svc.app.inject({ method: 'POST', url: '/v1/aid-bases', headers: city, payload: basePayload({ name: '长发商厦', communityCode: '320508020025' }) })).json();
  const base = auth(svc.token([READ, WRITE], ['3205'], { aidBase: mine.id }));

  const list = await svc.app.inject({ url: '/v1/aid-bases', headers: base });
  t.same(list.json().items.map((b: { id: string }) => b.id), [mine.id]);
  const cityList = await svc.app.inject({ url: '/v1/aid-bases', headers: city });
  t.equal(cityList.json().items.length, 2, 'the city sees all');
  t.equal((await svc.app.inject({ url: `/v1/aid-bases/${theirs.id}`, headers: base })).statusCode, 404);
  t.equal((await svc.app.inject({ url: `/v1/aid-bases/${mine.id}`, headers: base })).statusCode, 200);

  const patchTheirs = await svc.app.inject({ method: 'PATCH', url: `/v1/aid-bases/${theirs.id}`, headers: { ...base, 'if-match': '*' }, payload: { address: 'x' } });
  t.equal(patchTheirs.statusCode, 404);
  const read = await svc.app.inject({ url: `/v1/aid-bases/${mine.id}`, headers: base });
  const etag = read.headers.etag as string;
  const rename = await svc.app.inject({ method: 'PATCH', url: `/v1/aid-bases/${mine.id}`, headers: { ...base, 'if-match': etag }, payload: { cohort: 'existing' } });
  t.equal(rename.statusCode, 403, "a base cannot rewrite the bureau's record of it");
  const address = await svc.app.inject({ method: 'PATCH', url: `/v1/aid-bases/${mine.id}`, headers: { ...base, 'if-match': etag }, payload: { address: '人民路 383 号' } });
  t.equal(address.statusCode, 200, address.body);

  const register = await svc.app.inject({ method: 'POST', url: '/v1/aid-bases', headers: base, payload: basePayload({ name: '第三家' }) });
  t.equal(register.statusCode, 403);
  t.equal(await count(svc, 'aid_bases'), 2);
});

t.test('a base registered with only the fields of SPEC §7 is accepted: joined this year, cohort later', async (t) => {
  const svc = await build(t);
  const headers = auth(svc.token([READ, WRITE], ['320508']));
  const payload = { name: '新基地', communityCode: '320508018036', address: '苏州市姑苏区人民路 1 号', sectors: ['保洁'] };
  const res = await svc.app.inject({ method: 'POST', url: '/v1/aid-bases', headers, payload });
  t.equal(res.statusCode, 201, res.body);
  t.match(res.json(), { ...payload, cohort: 'later', joinedYear: Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date())) });
  t.ok(res.json().id);
  t.same(res.json().placements.byCategory, {});
});
