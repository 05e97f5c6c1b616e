/**
 * The rate limit counts every request that is not to a public route, from onRequest: before
 * the token is checked and the input validated, so 401s and 400s use up a budget too. A
 * valid token's `sub` has a budget of its own; anything else is counted by client address.
 * The counters live in Redis, shared by every instance; while Redis does not answer, each process
 * counts by itself against the same budget.
 */
import t from 'tap';
import { createLocalIssuer } from '@reemploy/http-kit';
import { startPrivateRedis } from '@reemploy/testkit/private-infra';
import { eventually, TEST_AUDIENCES, testIssuer, testQueuePrefix } from '@reemploy/runtime/testing';
import { build as buildRegistration } from '../../services/registration/test/helper.ts';
import { seekerPayload } from '../helper.ts';

/** Signs with a key the services do not trust, under their issuer's name. */
const stranger = createLocalIssuer(testIssuer.issuer);

type Svc = Awaited<ReturnType<typeof buildRegistration>>;

const read = (svc: Svc, token?: string) =>
  svc.app.inject({ url: `/v1/job-seekers/${crypto.randomUUID()}`, headers: token ? { authorization: `Bearer ${token}` } : {} });

t.test('401s and 400s are counted: a caller without a valid token, and one sending bad input, reach 429', async (t) => {
  const svc = await buildRegistration(t, { env: { RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '3' } });

  const anonymous = [await read(svc), await read(svc), await read(svc)];
  t.same(anonymous.map((r) => r.statusCode), [401, 401, 401]);
  t.equal(anonymous[2]!.headers['x-ratelimit-remaining'], '0');
  const limited = await read(svc);
  t.equal(limited.statusCode, 429, 'the fourth request without a token is refused before authentication');
  t.equal(limited.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal(limited.json().code, 'rate-limited');
  t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After set');
  const forged = stranger.token({ audience: TEST_AUDIENCES, sub: 'street-a', scopes: ['seekers:read'], regions: ['3205'] });
  t.equal((await read(svc, forged)).statusCode, 429, 'a token that does not verify is counted by address too');

  const writer = svc.token(['seekers:write'], ['3205'], { sub: 'sloppy-system' });
  const headers = { authorization: `Bearer ${writer}`, 'content-type': 'application/json' };
  for (let n = 0; n < 3; n++) {
    const bad = await svc.app.inject({ method: 'POST', url: '/v1/job-seekers', headers, payload: JSON.stringify({ ...seekerPayload(n), education: 'phd' }) });
    t.equal(bad.statusCode, 400, `bad input ${n + 1}`);
  }
  const good = await svc.app.inject({ method: 'POST', url: '/v1/job-seekers', headers, payload: JSON.stringify(seekerPayload(4)) });
  t.equal(good.statusCode, 429, 'the three 400s used up the budget of the calling system');
  const { rows } = await svc.ctx.database.pool.query('select count(*)::int as n from job_seekers');
  t.equal(rows[0].n, 0, 'nothing stored');
});

t.test("a token that does not verify never spends the budget of the sub it claims", async (t) => {
  const svc = await buildRegistration(t, { env: { RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '100' } });
  // Signed by a key the service does not trust, under its issuer's name; and one of its own tokens, expired.
  const forged = stranger.token({ audience: TEST_AUDIENCES, sub: 'street-a', scopes: ['seekers:read'], regions: ['3205'] });
  const expired = svc.token(['seekers:read'], ['3205'], { sub: 'street-a', expiresIn: -60 });
  for (let n = 0; n < 5; n++) {
    t.equal((await read(svc, forged)).statusCode, 401);
    t.equal((await read(svc, expired)).statusCode, 401);
  }
  const own = svc.token(['seekers:read'], ['3205'], { sub: 'street-a' });
  t.same([(await read(svc, own)).statusCode, (await read(svc, own)).statusCode, (await read(svc, own)).statusCode], [404, 404, 404], 'street-a still has its three');
  t.equal((await read(svc, own)).statusCode, 429);
});

t.test('two instances on one Redis share one budget per calling system', async (t) => {
  const queuePrefix = testQueuePrefix();
  const env = { RATE_LIMIT_PER_MINUTE: '4' };
  const [a, b] = await Promise.all([buildRegistration(t, { queuePrefix, env }), buildRegistration(t, { queuePrefix, env })]);
  const token = a.token(['seekers:read'], ['3205'], { sub: 'street-b' });
  const codes = [await read(a, token), await read(b, token), await read(a, token), await read(b, token)].map((r) => r.statusCode);
  t.same(codes, [404, 404, 404, 404]);
  t.equal((await read(a, token)).statusCode, 429, 'the fifth request in the minute, on either instance, is refused');
  t.equal((await read(b, token)).statusCode, 429);
});

t.test('Redis down or hung: requests are counted in the process against the same budget, without waiting for Redis; counting in Redis resumes with it', async (t) => {
  const redis = await startPrivateRedis();
  t.teardown(() => redis.stop());
  const queuePrefix = testQueuePrefix();
  const env = { REDIS_URL: redis.url, RATE_LIMIT_PER_MINUTE: '2' };
  const [svc, other] = await Promise.all([buildRegistration(t, { queuePrefix, env }), buildRegistration(t, { queuePrefix, env })]);
  const token = (sub: string) => svc.token(['seekers:read'], ['3205'], { sub });
  const timed = async (sub: string) => {
    const started = Date.now();
    const res = await read(svc, token(sub));
    return { status: res.statusCode, ms: Date.now() - started };
  };
  t.equal((await read(svc, token('street-c'))).statusCode, 404, 'counted while Redis answers');

  await redis.kill();
  const down = [await timed('street-d'), await timed('street-d'), await timed('street-d')];
  t.same(down.map((r) => r.status), [404, 404, 429], 'while Redis is down, reads are served within the budget and refused beyond it');
  t.ok(down.every((r) => r.ms < 500), `and quickly (${down.map((r) => r.ms).join(', ')} ms)`);

  await redis.start();
  // A fresh caller each try: two reads on one instance and one on the other reach 429 only when both count in Redis.
  let n = 0;
  const shared = await eventually(async () => {
    const sub = `street-e-${n++}`;
    await read(svc, token(sub));
    await read(svc, token(sub));
    return (await read(other, token(sub))).statusCode === 429 ? true : undefined;
  }, 20_000, 250);
  t.ok(shared, 'counting in Redis, shared by the instances, resumes once Redis is back (and the pause after its failure is over)');

  redis.pause();
  const hung = [await timed('street-f'), await timed('street-f'), await timed('street-f')];
  redis.resume();
  t.same(hung.map((r) => r.status), [404, 404, 429], 'while Redis hangs, the budget is kept in the process');
  t.ok(hung[0]!.ms < 900, `the first waits for Redis a moment only (${hung[0]!.ms} ms)`);
  t.ok(hung.slice(1).every((r) => r.ms < 200), `the next do not wait for it (${hung.map((r) => r.ms).join(', ')} ms)`);
});
