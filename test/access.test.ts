import t from 'tap';
import { createSigner } from 'fast-jwt';
import { DEV_JWT_SECRET } from '@reemploy/config';
import { TEST_AUDIENCES, testIssuer } from '@reemploy/runtime/testing';
import { build as buildRegistration } from '../services/registration/test/helper.ts';
import { build as buildJobPostings } from '../services/job-postings/test/helper.ts';
import { build as buildMatching } from '../services/matching/test/helper.ts';
import { build as buildAssistanceBases } from '../services/assistance-bases/test/helper.ts';
import { seekerPayload } from './helper.ts';

// Routes anyone may call: liveness, readiness (its status alone), API docs and the dashboard's static page.
const PUBLIC = /^\/(health|ready|docs(\/.*)?|dashboard(\/.*)?)$/;

t.test('every route of every service declares a scope, or is a known public route', async (t) => {
  for (const build of [buildRegistration, buildJobPostings, buildMatching, buildAssistanceBases]) {
    const svc = await build(t);
    t.ok(svc.app.routeCatalog.length > 0);
    for (const route of svc.app.routeCatalog) {
      if (route.method === 'HEAD') continue;
      if (route.public) t.match(route.url, PUBLIC, `${svc.ctx.service} ${route.method} ${route.url} is public by design`);
      else t.ok(route.scope, `${svc.ctx.service} ${route.method} ${route.url} declares a scope`);
    }
  }
});

t.test('JWT failures are 401 without detail that helps an attacker', async (t) => {
  const svc = await buildRegistration(t);
  const now = Math.floor(Date.now() / 1000);
  const { key, kid } = testIssuer.signingKey;
  // Signed with the trusted key: only the claims are wrong.
  const sign = (claims: Record<string, unknown>) =>
    createSigner({ key, algorithm: 'EdDSA', kid, header: { alg: 'EdDSA', typ: 'at+jwt' } })({ iss: testIssuer.issuer, aud: TEST_AUDIENCES, iat: now, ...claims });
  const tokens: Record<string, string> = {
    'not yet valid': sign({ sub: 'x', scope: 'seekers:read', regions: ['3205'], exp: now + 600, nbf: now + 300 }),
    'no expiry': sign({ sub: 'x', scope: 'seekers:read', regions: ['3205'] }),
    'no regions': sign({ sub: 'x', scope: 'seekers:read', exp: now + 600 }),
    'no subject': sign({ scope: 'seekers:read', regions: ['3205'], exp: now + 600 }),
    'HS512 with the development secret': createSigner({ key: DEV_JWT_SECRET, algorithm: 'HS512', header: { alg: 'HS512', typ: 'at+jwt' } })({ iss: testIssuer.issuer, aud: TEST_AUDIENCES, sub: 'x', scope: 'seekers:read', regions: ['3205'], exp: now + 600 }),
    garbage: 'not.a.token',
  };
  const details = new Set<string>();
  for (const [label, token] of Object.entries(tokens)) {
    const res = await svc.app.inject({ url: `/v1/job-seekers/${crypto.randomUUID()}`, headers: { authorization: `Bearer ${token}` } });
    t.equal(res.statusCode, 401, label);
    details.add(res.json().detail);
  }
  t.equal(details.size, 1, 'every failure says the same thing');
});

t.test('rate limits per calling system answer 429 with Retry-After', async (t) => {
  const svc = await buildRegistration(t, { env: { RATE_LIMIT_PER_MINUTE: '3' } });
  const call = (sub: string) =>
    svc.app.inject({ url: `/v1/job-seekers/${crypto.randomUUID()}`, headers: { authorization: `Bearer ${svc.token(['seekers:read'], ['3205'], { sub })}` } });
  const first = [await call('street-a'), await call('street-a'), await call('street-a')];
  t.same(first.map((r) => r.statusCode), [404, 404, 404]);
  const limited = await call('street-a');
  t.equal(limited.statusCode, 429);
  t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After set');
  t.equal(limited.json().code, 'rate-limited');
  t.equal((await call('street-b')).statusCode, 404, 'another calling system is not limited');
  t.equal((await svc.app.inject({ url: '/health' })).statusCode, 200, 'operations are not limited');
});

t.test('a concurrent repeat of an Idempotency-Key is a 409 while the first is in flight', async (t) => {
  const svc = await buildRegistration(t);
  const headers = { authorization: `Bearer ${svc.token(['seekers:write'])}`, 'idempotency-key': 'concurrent-1' };
  const results = await Promise.all([1, 2, 3].map(() => svc.app.inject({ method: 'POST', url: '/v1/job-seekers', headers, payload: seekerPayload(9) })));
  const codes = results.map((r) => r.statusCode).sort();
  t.equal(codes.filter((c) => c === 201).length >= 1, true, 'one request created the seeker');
  t.ok(codes.every((c) => c === 201 || c === 409), `others replayed or were told it is in progress (${codes})`);
  const { rows } = await svc.ctx.database.pool.query('select count(*)::int as n from job_seekers');
  t.equal(rows[0].n, 1);
});

t.test('under pressure the service sheds load with 503 instead of falling over', async (t) => {
  const svc = await buildRegistration(t, { env: { MAX_EVENT_LOOP_DELAY_MS: '20' } });
  const until = Date.now() + 1500;
  while (Date.now() < until) {
    // Block the event loop, as a CPU-bound storm would.
  }
  await new Promise((r) => setTimeout(r, 50));
  const res = await svc.app.inject({ url: `/v1/job-seekers/${crypto.randomUUID()}`, headers: { authorization: `Bearer ${svc.token(['seekers:read'])}` } });
  t.equal(res.statusCode, 503);
  t.equal(res.json().code, 'overloaded');
  t.ok(res.headers['retry-after']);
  // Operators still see the service: liveness, readiness, metrics and the docs answer as usual.
  const operator = { authorization: `Bearer ${svc.token(['operations:read'])}` };
  for (const url of ['/health', '/ready', '/metrics', '/docs/json']) {
    const answer = await svc.app.inject({ url, headers: operator });
    t.equal(answer.statusCode, 200, `${url} while shedding load: ${answer.body.slice(0, 200)}`);
  }
});

t.test('the bearer scheme is case-insensitive; anything else is a 401', async (t) => {
  const svc = await buildRegistration(t);
  const token = svc.token(['seekers:read']);
  const url = `/v1/job-seekers/${crypto.randomUUID()}`;
  for (const scheme of ['Bearer', 'bearer', 'BEARER']) t.equal((await svc.app.inject({ url, headers: { authorization: `${scheme} ${token}` } })).statusCode, 404, `${scheme}: authenticated`);
  for (const authorization of [`Basic ${token}`, `Bearer${token}`, token]) t.equal((await svc.app.inject({ url, headers: { authorization } })).statusCode, 401, authorization.slice(0, 8));
});

t.test('an Idempotency-Key whose first request died unsettled is taken over once stale, and an answer that cannot be stored still reaches the caller', async (t) => {
  const svc = await buildRegistration(t);
  const post = (key: string, n: number) =>
    svc.app.inject({ method: 'POST', url: '/v1/job-seekers', headers: { authorization: `Bearer ${svc.token(['seekers:write'])}`, 'idempotency-key': key }, payload: seekerPayload(n) });
  const claim = (key: string, minutesAgo: number) =>
    svc.ctx.database.pool.query(`insert into idempotency_keys (caller, key, request_hash, created_at) values ('test-system', $1, 'x', now() - make_interval(mins => $2))`, [key, minutesAgo]);
  // A request whose answer was not stored a minute ago may still be running somewhere: in progress.
  t.equal((await post('recent-1', 21)).statusCode, 201);
  await svc.ctx.database.pool.query(`update idempotency_keys set status = null, response = null, completed_at = null, created_at = now() - interval '1 minute' where key = 'recent-1'`);
  t.equal((await post('recent-1', 21)).statusCode, 409);
  // One that died 11 minutes ago is not: the retry runs, and its answer is kept for the next retry.
  await claim('stale-1', 11);
  const taken = await post('stale-1', 22);
  t.equal(taken.statusCode, 201, taken.body);
  const again = await post('stale-1', 22);
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.equal(again.json().id, taken.json().id);

  // The answer cannot be stored (here a constraint refuses it; in life the database went away): the caller still gets it.
  await svc.ctx.database.pool.query('alter table idempotency_keys add constraint refuse_answers check (status is null) not valid');
  const unstored = await post('unstored-1', 23);
  t.equal(unstored.statusCode, 201, unstored.body);
  t.ok(unstored.json().id);
  const { rows } = await svc.ctx.database.pool.query(`select completed_at from idempotency_keys where key = 'unstored-1'`);
  t.equal(rows[0].completed_at, null, 'left unsettled, for a retry to take over once stale');
});
