import t from 'tap';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createLocalIssuer } from '@reemploy/http-kit';
import { TEST_AUDIENCES, productionEnv, testIssuer } from '@reemploy/runtime/testing';
import { build as buildRegistration } from '../../services/registration/test/helper.ts';
import { build as buildJobPostings } from '../../services/job-postings/test/helper.ts';
import { build as buildMatching } from '../../services/matching/test/helper.ts';
import { build as buildAssistanceBases } from '../../services/assistance-bases/test/helper.ts';
import { seekerPayload } from '../helper.ts';

const builders = { registration: buildRegistration, 'job-postings': buildJobPostings, matching: buildMatching, 'assistance-bases': buildAssistanceBases };

for (const [name, build] of Object.entries(builders)) {
  t.test(`${name}: health, readiness, metrics and a valid OpenAPI 3.1 document`, async (t) => {
    const svc = await build(t);
    const health = await svc.app.inject({ url: '/health' });
    t.equal(health.statusCode, 200);
    t.equal(health.json().service, name);

    const ready = await svc.app.inject({ url: '/ready' });
    t.equal(ready.statusCode, 200, ready.body);
    t.same(ready.json(), { status: 'ok' }, 'anyone gets the status alone');
    const operator = { authorization: `Bearer ${svc.token(['operations:read'])}` };
    const detailed = await svc.app.inject({ url: '/ready', headers: operator });
    t.same(detailed.json(), { status: 'ok', checks: { postgres: 'ok', redis: 'ok' } }, 'an operator gets the checks');

    t.equal((await svc.app.inject({ url: '/metrics' })).statusCode, 401, 'metrics need a token');
    t.equal((await svc.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${svc.token(['admin', 'seekers:read'])}` } })).statusCode, 403, 'with the operators\' scope');
    const metrics = await svc.app.inject({ url: '/metrics', headers: operator });
    t.equal(metrics.statusCode, 200);
    t.match(metrics.headers['content-type'], /^text\/plain/);
    t.match(metrics.body, /http_request_duration_seconds_bucket\{.*route="\/ready"/);

    const docs = await svc.app.inject({ url: '/docs/json' });
    t.equal(docs.statusCode, 200);
    const spec = docs.json();
    t.equal(spec.openapi, '3.1.0');
    const validation = await new Validator().validate(spec);
    t.ok(validation.valid, JSON.stringify(validation.errors)?.slice(0, 500));
    t.ok(spec.components.securitySchemes.bearerAuth, 'bearer security scheme declared');
    for (const [path, ops] of Object.entries<Record<string, { operationId?: string; security?: unknown; tags?: string[] }>>(spec.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        t.ok(op.operationId, `${method} ${path} has an operationId`);
        t.ok(op.tags?.length, `${method} ${path} has tags`);
        if (path.startsWith('/v1')) t.ok(op.security, `${method} ${path} declares its security`);
      }
    }
    const ui = await svc.app.inject({ url: '/docs' });
    t.ok([200, 302].includes(ui.statusCode), 'Swagger UI served');
  });
}

t.test('readiness reports 503 when Redis does not answer, naming the failed check only to an operator and never with the driver\'s error', async (t) => {
  const svc = await buildRegistration(t);
  svc.ctx.redis.disconnect();
  const started = Date.now();
  const ready = await svc.app.inject({ url: '/ready' });
  t.equal(ready.statusCode, 503);
  t.ok(Date.now() - started < 1500, 'answers within about a second');
  t.same(ready.json(), { status: 'unavailable' }, 'anyone gets the status alone');
  const reader = await svc.app.inject({ url: '/ready', headers: { authorization: `Bearer ${svc.token(['seekers:read'])}` } });
  t.same(reader.json(), { status: 'unavailable' }, 'so does a token without the operators\' scope');
  const operator = await svc.app.inject({ url: '/ready', headers: { authorization: `Bearer ${svc.token(['operations:read'])}` } });
  t.equal(operator.statusCode, 503);
  t.same(operator.json(), { status: 'unavailable', checks: { postgres: 'ok', redis: 'failed' } }, 'the check, in words of the service, not the driver\'s');
});

t.test('authentication and scopes', async (t) => {
  const svc = await buildRegistration(t);
  const url = '/v1/job-seekers';
  const payload = seekerPayload(1);
  const none = await svc.app.inject({ method: 'POST', url, payload });
  t.equal(none.statusCode, 401);
  t.equal(none.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal(none.json().code, 'unauthorized');

  const wrongKey = createLocalIssuer(testIssuer.issuer).token({ audience: TEST_AUDIENCES, sub: 'x', scopes: ['seekers:write'], regions: ['3205'] });
  t.equal((await svc.app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${wrongKey}` } })).statusCode, 401);

  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url');
  const claims = Buffer.from(JSON.stringify({ sub: 'x', scope: 'seekers:write', regions: ['3205'], exp: Math.floor(Date.now() / 1000) + 60 })).toString('base64url');
  t.equal((await svc.app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${header}.${claims}.` } })).statusCode, 401, 'alg none refused');

  const expiredToken = testIssuer.token({ audience: TEST_AUDIENCES, sub: 'x', scopes: ['seekers:write'], regions: ['3205'], expiresIn: -60 });
  t.equal((await svc.app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${expiredToken}` } })).statusCode, 401, 'expired refused');

  const readOnly = svc.token(['seekers:read']);
  const forbidden = await svc.app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${readOnly}` } });
  t.equal(forbidden.statusCode, 403);
  t.match(forbidden.json().detail, /seekers:write/);
});

t.test('strict input: every bad body is a 400 problem naming the field, and nothing is stored', async (t) => {
  const svc = await buildRegistration(t);
  const headers = { authorization: `Bearer ${svc.token(['seekers:write'])}`, 'content-type': 'application/json' };
  const base = seekerPayload(3);
  const cases: [string, string, string, number][] = [
    ['unknown property', JSON.stringify({ ...base, favouriteColour: 'red' }), 'body.favouriteColour', 400],
    ['number where a string is due', JSON.stringify({ ...base, name: 42 }), 'body.name', 400],
    ['string where a number is due (no coercion)', JSON.stringify({ ...base, expectedMonthlyWage: '4000' }), 'body.expectedMonthlyWage', 400],
    ['NUL character', JSON.stringify({ ...base, name: 'a\u0000b' }), 'body.name', 400],
    ['lone surrogate', `{"idNumber":"${base.idNumber}","name":"\\ud800x","communityCode":"${base.communityCode}","education":"primary"}`, 'body.name', 400],
    ['integer beyond 2^53', JSON.stringify(base).replace(/}$/, ',"expectedMonthlyWage":9007199254740993}'), 'body.expectedMonthlyWage', 400],
    ['malformed JSON', '{"idNumber": ', 'body', 400],
    ['__proto__ key', JSON.stringify(base).replace(/}$/, ',"__proto__":{"admin":true}}'), 'body', 400],
    ['bad check character', JSON.stringify({ ...base, idNumber: base.idNumber.slice(0, 17) + (base.idNumber.endsWith('1') ? '2' : '1') }), 'body.idNumber', 400],
    ['enum out of range', JSON.stringify({ ...base, education: 'phd' }), 'body.education', 400],
  ];
  for (const [label, payload, field, status] of cases) {
    const res = await svc.app.inject({ method: 'POST', url: '/v1/job-seekers', headers, payload });
    t.equal(res.statusCode, status, label);
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', `${label}: problem+json`);
    const fields = (res.json().errors ?? []).map((e: { field: string }) => e.field);
    t.ok(fields.includes(field), `${label}: names ${field} (got ${fields.join(', ')})`);
    t.notOk(res.body.includes(base.idNumber), `${label}: the identity number is not echoed`);
  }
  const big = await svc.app.inject({ method: 'POST', url: '/v1/job-seekers', headers, payload: JSON.stringify({ ...base, name: 'x'.repeat(2_000_000) }) });
  t.equal(big.statusCode, 413, 'oversized body');
  const wrongType = await svc.app.inject({ method: 'POST', url: '/v1/job-seekers', headers: { ...headers, 'content-type': 'text/plain' }, payload: 'hello' });
  t.equal(wrongType.statusCode, 415, 'wrong content type');
  const { rows } = await svc.ctx.database.pool.query('select count(*)::int as n from job_seekers');
  t.equal(rows[0].n, 0, 'nothing stored');
  const notFound = await svc.app.inject({ url: '/v1/nothing-here' });
  t.equal(notFound.statusCode, 404);
  t.equal(notFound.json().code, 'not-found');
});

t.test('Idempotency-Key: a repeat gets the first response; another payload with the same key is 422', async (t) => {
  const svc = await buildRegistration(t);
  const headers = { authorization: `Bearer ${svc.token(['seekers:write'])}`, 'idempotency-key': 'import-2026-11-29-row-1' };
  const first = await svc.app.inject({ method: 'POST', url: '/v1/job-seekers', headers, payload: seekerPayload(4) });
  const repeat = await svc.app.inject({ method: 'POST', url: '/v1/job-seekers', headers, payload: seekerPayload(4) });
  t.equal(first.statusCode, 201);
  t.equal(repeat.statusCode, 201, 'the repeat answers like the first, not 409');
  t.equal(repeat.json().id, first.json().id);
  t.equal(repeat.headers['idempotent-replayed'], 'true');
  const other = await svc.app.inject({ method: 'POST', url: '/v1/job-seekers', headers, payload: seekerPayload(5) });
  t.equal(other.statusCode, 422);
  const { rows } = await svc.ctx.database.pool.query('select count(*)::int as n from job_seekers');
  t.equal(rows[0].n, 1);
});

t.test('API docs are a setting: on in development and test, off in production unless DOCS_ENABLED says so', async (t) => {
  const production = productionEnv();
  const cases: [string, Record<string, string>, boolean][] = [
    ['test, unset', {}, true],
    ['test, DOCS_ENABLED=false', { DOCS_ENABLED: 'false' }, false],
    ['production, unset', production, false],
    ['production, DOCS_ENABLED=true', { ...production, DOCS_ENABLED: 'true' }, true],
  ];
  for (const [label, env, served] of cases) {
    const svc = await buildJobPostings(t, { env });
    for (const url of ['/docs', '/docs/json', '/docs/static/index.html']) {
      const res = await svc.app.inject({ url });
      if (served) {
        t.ok([200, 302].includes(res.statusCode), `${label}: ${url} served (${res.statusCode})`);
        continue;
      }
      t.equal(res.statusCode, 404, `${label}: ${url} is not there`);
      t.match(res.headers['content-type'], /application\/problem\+json/, `${label}: ${url} answers a problem`);
    }
    t.equal(typeof svc.app.swagger().paths, 'object', `${label}: the document is still built for the client generator`);
  }
});
