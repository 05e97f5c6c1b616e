import t from 'tap';
import Fastify from 'fastify';
import fp from 'fastify-plugin';
import { checkIfMatch } from '../src/etag.ts';
import { language, preferredScript, storedEtag, variantEtag } from '../src/language.ts';

t.test('Accept-Language: the Chinese range of highest weight decides the script', async (t) => {
  const cases: [string | undefined, string, string | null][] = [
    [undefined, 'zh-Hans', null],
    ['', 'zh-Hans', null],
    ['zh', 'zh-Hans', null],
    ['zh-CN', 'zh-Hans', null],
    ['zh-Hans', 'zh-Hans', null],
    ['zh-Hans-CN', 'zh-Hans', null],
    ['zh-SG', 'zh-Hans', null],
    ['zh-Hant', 'zh-Hant', 'tw'],
    ['zh-TW', 'zh-TW', 'tw'],
    ['zh-tw', 'zh-TW', 'tw'],
    ['zh-Hant-TW', 'zh-Hant-TW', 'tw'],
    ['zh-HK', 'zh-HK', 'hk'],
    ['zh-Hant-HK', 'zh-Hant-HK', 'hk'],
    ['zh-MO', 'zh-MO', 'hk'],
    ['zh-Hans-HK', 'zh-Hans', null],
    ['en', 'zh-Hans', null],
    ['*', 'zh-Hans', null],
    // Weights: the highest wins; English ranges leave the choice to the Chinese ones.
    ['en-US,en;q=0.9,zh-TW;q=0.8', 'zh-TW', 'tw'],
    ['zh-TW;q=0.5, zh-CN;q=0.8', 'zh-Hans', null],
    ['zh-CN;q=0.5, zh-HK;q=0.9', 'zh-HK', 'hk'],
    ['zh-CN;q=0.5,zh-HK;Q=0.9', 'zh-HK', 'hk'],
    ['zh;q=0.9, zh-TW', 'zh-TW', 'tw'],
    ['zh-TW ; q=0.7 , zh-CN ; q=0.6', 'zh-TW', 'tw'],
    // Equal weights: the first listed.
    ['zh-HK, zh-TW', 'zh-HK', 'hk'],
    ['zh-CN, zh-TW', 'zh-Hans', null],
    // q=0 is "not acceptable"; a malformed weight ignores the range.
    ['zh-TW;q=0', 'zh-Hans', null],
    ['zh-TW;q=0.000, zh-HK;q=0.001', 'zh-HK', 'hk'],
    ['zh-TW;q=abc', 'zh-Hans', null],
    ['zh-TW;q=1.5', 'zh-Hans', null],
    ['zh-TW;q=0.5555', 'zh-Hans', null],
    ['zh_TW', 'zh-Hans', null],
  ];
  for (const [header, tag, target] of cases) t.same(preferredScript(header), { tag, target }, String(header));
});

t.test('entity tags of converted answers name the same version', async (t) => {
  t.equal(variantEtag('"a.3"', 'tw'), '"a.3~zh-Hant-TW"');
  t.equal(variantEtag('W/"a.3"', 'hk'), 'W/"a.3~zh-Hant-HK"');
  t.equal(storedEtag('"a.3~zh-Hant-TW"'), '"a.3"');
  t.equal(storedEtag('"a.3~zh-Hant-HK"'), '"a.3"');
  t.equal(storedEtag('"a.3"'), '"a.3"');
  t.equal(storedEtag('"a.3~zh-Hant-XX"'), '"a.3~zh-Hant-XX"', 'only the forms the platform makes');
  const request = (ifMatch: string) => ({ headers: { 'if-match': ifMatch } }) as never;
  t.doesNotThrow(() => checkIfMatch(request('"a.3~zh-Hant-TW"'), '"a.3"'));
  t.doesNotThrow(() => checkIfMatch(request('"b.1", W/"a.3~zh-Hant-HK"'), '"a.3"'));
  t.throws(() => checkIfMatch(request('"a.2~zh-Hant-TW"'), '"a.3"'), /does not match the current ETag/, 'a converted tag of another version is stale');
});

/** A bare app with the language hooks and one route per kind of answer. */
async function app(t: { teardown(fn: () => unknown): void }) {
  const server = Fastify();
  // It follows the idempotency plugin (whose onSend stores an answer before it is converted): none here.
  await server.register(fp(async () => {}, { name: 'reemploy-idempotency' }));
  await server.register(language);
  server.get('/v1/thing', async (_request, reply) => {
    reply.header('etag', '"t.7"').header('vary', 'Origin');
    return { id: 't', 说明: '再就业优惠证', nested: [{ label: '就业困难人员' }, 42, null, true], english: 're-employment' };
  });
  server.get('/v1/plain', async () => ({ id: 'p', count: 3 }));
  server.get('/v1/problem', async (_request, reply) => reply.code(404).type('application/problem+json').send({ type: 'about:blank', title: 'Not found', status: 404, detail: '没有这个社区' }));
  server.get('/v1/ledger.csv', async (_request, reply) => reply.type('text/csv; charset=utf-8').send('\uFEFF层级,区划代码,名称\r\n社区,320508024043,龙港苑社区居委会\r\n'));
  server.get('/v1/file', async (request, reply) => reply.type('application/octet-stream').send(Buffer.from(request.language.convert('工作月报'))));
  server.get('/page', { config: { localized: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(Buffer.from('<html lang="zh-Hans"><title>仪表板</title></html>')));
  server.get('/other', async () => ({ text: '就业' }));
  t.teardown(() => server.close());
  return server;
}

t.test('a traditional answer converts every Chinese string, never a key', async (t) => {
  const server = await app(t);
  const simplified = await server.inject({ url: '/v1/thing' });
  t.same(simplified.json(), { id: 't', 说明: '再就业优惠证', nested: [{ label: '就业困难人员' }, 42, null, true], english: 're-employment' });
  t.equal(simplified.headers['content-language'], 'zh-Hans');
  t.equal(simplified.headers.etag, '"t.7"');
  t.equal(simplified.headers.vary, 'Origin, Accept-Language', 'Vary keeps what was there');

  const taiwan = await server.inject({ url: '/v1/thing', headers: { 'accept-language': 'zh-Hant' } });
  t.same(taiwan.json(), { id: 't', 说明: '再就業優惠證', nested: [{ label: '就業困難人員' }, 42, null, true], english: 're-employment' });
  t.equal(taiwan.headers['content-language'], 'zh-Hant');
  t.equal(taiwan.headers.etag, '"t.7~zh-Hant-TW"');
  t.equal(Number(taiwan.headers['content-length']), Buffer.byteLength(taiwan.body), 'Content-Length of the converted body');

  const hongKong = await server.inject({ url: '/v1/thing', headers: { 'accept-language': 'zh-HK' } });
  t.equal(hongKong.headers.etag, '"t.7~zh-Hant-HK"');
  t.equal(hongKong.json().nested[0].label, '就業困難人員');

  const plain = await server.inject({ url: '/v1/plain', headers: { 'accept-language': 'zh-TW' } });
  t.equal(plain.headers['content-language'], undefined, 'no Chinese, no Content-Language');
  t.equal(plain.headers.vary, 'Accept-Language');
});

t.test('problems, CSV and files built through the request convert too', async (t) => {
  const server = await app(t);
  const headers = { 'accept-language': 'zh-TW' };
  const problem = await server.inject({ url: '/v1/problem', headers });
  t.equal(problem.statusCode, 404);
  t.equal(problem.json().detail, '沒有這個社區');
  t.equal(problem.headers['content-language'], 'zh-TW');
  const csv = await server.inject({ url: '/v1/ledger.csv', headers });
  t.equal(csv.body, '\uFEFF層級,區劃代碼,名稱\r\n社區,320508024043,龍港苑社區居委會\r\n');
  t.equal((await server.inject({ url: '/v1/ledger.csv' })).body.slice(1, 3), '层级');
  const file = await server.inject({ url: '/v1/file', headers });
  t.equal(file.body, '工作月報');
  t.equal(file.headers['content-language'], 'zh-TW', 'a file converted through request.language says so');
  t.equal((await server.inject({ url: '/v1/file' })).headers['content-language'], 'zh-Hans');
});

t.test('pages outside /v1 convert only when they say so', async (t) => {
  const server = await app(t);
  const page = await server.inject({ url: '/page', headers: { 'accept-language': 'zh-HK' } });
  t.equal(page.body, '<html lang="zh-HK"><title>儀表板</title></html>', 'the page names its language');
  t.equal(page.headers.vary, 'Accept-Language');
  const other = await server.inject({ url: '/other', headers: { 'accept-language': 'zh-HK' } });
  t.same(other.json(), { text: '就业' });
  t.equal(other.headers.vary, undefined);
  t.equal(other.headers['content-language'], undefined);
});
