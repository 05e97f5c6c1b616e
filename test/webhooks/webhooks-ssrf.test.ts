import t from 'tap';
import { resolveSecrets } from '@reemploy/config';
import { randomBytes } from 'node:crypto';
import { recordEvent } from '@reemploy/messaging';
import { eventually, testQueuePrefix } from '@reemploy/runtime/testing';
import { registration } from '@reemploy/registration';
import { build as buildRegistration } from '../../services/registration/test/helper.ts';
import { seeker } from '../../services/matching/test/fixtures.ts';
import { startReceiver } from '../support/webhook-receiver.ts';

const SECRET = 'a-shared-secret-of-the-subscriber';
const COMMUNITY = '320508024043';

type Svc = Awaited<ReturnType<typeof buildRegistration>>;

const manage = (svc: Svc, sub = 'social-insurance') => ({ authorization: `Bearer ${svc.token(['webhooks:manage', 'seekers:read'], ['3205'], { sub })}` });
const subscribe = (svc: Svc, url: string, sub?: string) =>
  svc.app.inject({ method: 'POST', url: '/v1/webhooks/subscriptions', headers: manage(svc, sub), payload: { url, secret: SECRET, eventTypes: ['seeker.re-employed'] } });

async function reemployed(svc: Svc) {
  const snapshot = seeker({ communityCode: COMMUNITY, status: 'employed' });
  await svc.ctx.db.transaction().execute((trx) => recordEvent(trx, 'seeker.employment-changed', snapshot.seekerId, snapshot));
}

/** A local receiver answering with this status (and words of its own); it counts what reaches it. */
async function receiver(t: { teardown(fn: () => unknown): void }, status = 204, text = '') {
  const hooks = await startReceiver(t, (_r, res) =>
    res.writeHead(status, { 'content-type': 'text/plain', ...(status >= 300 && status < 400 ? { location: 'http://127.0.0.1:1/elsewhere' } : {}) }).end(text),
  );
  return { ...hooks, hits: () => hooks.received.map((r) => r.path) };
}

t.test('a subscription to a non-public address is refused in every notation, and http outside development', async (t) => {
  const svc = await buildRegistration(t);
  for (const url of [
    'http://127.0.0.1:6379/',
    'https://127.0.0.1:6379/',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]:3001/health',
    'https://[::ffff:127.0.0.1]:3001/health',
    'https://[::ffff:a9fe:a9fe]/latest/meta-data',
    'https://2130706433:3001/',
    'https://0177.0.0.1:3001/',
    'https://0x7f.0.0.1:3001/',
    'https://127.0.0.1.:3001/',
    'https://100.100.100.200/latest/meta-data',
    'https://10.0.0.5/',
    'https://192.168.0.1/',
    'https://[fd00::1]/',
    'https://[fe80::1]/',
    'https://0.0.0.0:3001/',
    'https://224.0.0.1/',
    'http://hooks.example.com/reemploy',
  ]) {
    const res = await subscribe(svc, url);
    t.equal(res.statusCode, 400, url);
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    t.same(res.json().errors?.map((e: { field: string }) => e.field), ['body.url'], `${url}: the problem names the field`);
  }
  t.equal((await svc.ctx.database.pool.query('select count(*)::int as n from webhook_subscriptions')).rows[0].n, 0, 'nothing stored');
  t.equal((await subscribe(svc, 'https://hooks.example.com/reemploy')).statusCode, 201, 'a public https receiver is accepted');
});

t.test('a name that resolves to loopback is refused at delivery; the log shows the class, never the receiver’s answer', async (t) => {
  const local = await receiver(t);
  const svc = await buildRegistration(t);
  await svc.startWorkers();
  const sub = await subscribe(svc, `https://localhost:${local.port}/hook`);
  t.equal(sub.statusCode, 201, 'a name is judged at delivery, by what it resolves to then');
  await reemployed(svc);
  const log = await eventually(async () => {
    const items = (await svc.app.inject({ url: '/v1/webhooks/deliveries', headers: manage(svc) })).json().items;
    return items[0]?.attempts >= 1 ? items : undefined;
  }, 15_000, 100);
  t.equal(log[0].lastFailure, 'blocked-address');
  t.same(local.hits(), [], 'the loopback receiver was never contacted');
});

t.test('with local receivers allowed (tests only), failures are logged as classes: a redirect is not followed', async (t) => {
  const failing = await receiver(t, 500, '-ERR unknown command, redis_version:7.0.15');
  const redirecting = await receiver(t, 302);
  const svc = await buildRegistration(t, { env: { WEBHOOK_ALLOW_LOOPBACK: 'true' } });
  await svc.startWorkers();
  t.equal((await subscribe(svc, `http://127.0.0.1:${failing.port}/hook`)).statusCode, 201);
  t.equal((await subscribe(svc, `http://127.0.0.1:${redirecting.port}/hook`)).statusCode, 201);
  t.equal((await subscribe(svc, 'http://169.254.169.254/latest/meta-data')).statusCode, 400, 'the flag allows loopback, not the metadata service');
  await reemployed(svc);
  const res = await eventually(async () => {
    const r = await svc.app.inject({ url: '/v1/webhooks/deliveries', headers: manage(svc) });
    return r.json().items.filter((d: { attempts: number }) => d.attempts >= 1).length === 2 ? r : undefined;
  }, 15_000, 100);
  t.same(res.json().items.map((d: { lastFailure: string }) => d.lastFailure).sort(), ['http-5xx', 'redirect']);
  // A status as a value of its own: not the same digits inside an id or a timestamp (a uuid holds "b302" now and then).
  t.notMatch(res.body, /redis_version|ERR|(?<![\w.-])(500|302)(?![\w.-])|lastError|lastStatus/, "neither the receiver's words nor its status");
  const { rows } = await svc.ctx.database.pool.query('select * from webhook_deliveries');
  t.notMatch(JSON.stringify(rows), /redis_version|ERR unknown/, 'nor are they stored');
  t.same(redirecting.hits(), ['/hook'], 'the redirect was answered once and not followed');
});

t.test('subscriptions are capped per calling system, parallel requests included', async (t) => {
  const svc = await buildRegistration(t, { env: { WEBHOOK_MAX_SUBSCRIPTIONS: '2' } });
  const results = await Promise.all(Array.from({ length: 5 }, (_, i) => subscribe(svc, `https://hooks.example.com/${i}`)));
  t.same(results.map((r) => r.statusCode).sort(), [201, 201, 429, 429, 429]);
  const refused = results.find((r) => r.statusCode === 429)!;
  t.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal(refused.json().code, 'limit-reached');
  t.equal((await subscribe(svc, 'https://hooks.example.com/other', 'another-system')).statusCode, 201, 'another calling system has its own allowance');
});

t.test('replays are capped per calling system and minute, across processes', async (t) => {
  // Two processes of one service: the count lives in Redis under their shared prefix.
  const queuePrefix = testQueuePrefix();
  const env = { WEBHOOK_REPLAYS_PER_MINUTE: '2', WEBHOOK_ALLOW_LOOPBACK: 'true' };
  const first = await buildRegistration(t, { queuePrefix, env });
  const second = await buildRegistration(t, { queuePrefix, env });
  const sub = (await subscribe(first, 'http://127.0.0.1:9/hook')).json();
  const { rows } = await first.ctx.database.pool.query(
    `insert into webhook_deliveries (id, subscription_id, event_id, event_type, subject, seq, body, status, next_attempt_at)
     values (gen_random_uuid(), $1, gen_random_uuid(), 'seeker.re-employed', 'x', 1, '{}', 'failed', now()) returning id`,
    [sub.id],
  );
  const replay = (svc: Svc) => svc.app.inject({ method: 'POST', url: `/v1/webhooks/deliveries/${rows[0].id}/replay`, headers: manage(svc) });
  // Not across the turn of a minute, whose new allowance would hide the cap.
  if (Date.now() % 60_000 > 55_000) await new Promise((r) => setTimeout(r, 60_000 - (Date.now() % 60_000) + 50));
  t.equal((await replay(first)).statusCode, 202);
  t.equal((await replay(first)).statusCode, 202);
  const third = await replay(first);
  t.equal(third.statusCode, 429);
  t.equal(third.json().code, 'rate-limited');
  t.ok(Number(third.headers['retry-after']) >= 1, 'with Retry-After');
  t.equal((await replay(second)).statusCode, 429, 'another process of the service counts the same allowance');
});

t.test('production refuses to start with loopback receivers allowed', async (t) => {
  const secrets = {
    TOKEN_ISSUER: 'https://idp.example.gov.cn/realms/suzhou',
    JWKS_URL: 'https://idp.example.gov.cn/realms/suzhou/certs',
    PII_KEY: randomBytes(32).toString('base64'),
    EVENT_SIGNING_KEY: randomBytes(32).toString('base64'),
  };
  t.throws(() => resolveSecrets(registration.parseEnv({ NODE_ENV: 'production', ...secrets, WEBHOOK_ALLOW_LOOPBACK: 'true' })), /WEBHOOK_ALLOW_LOOPBACK/);
  t.doesNotThrow(() => resolveSecrets(registration.parseEnv({ NODE_ENV: 'production', ...secrets })));
  t.doesNotThrow(() => resolveSecrets(registration.parseEnv({ NODE_ENV: 'test', ...secrets, WEBHOOK_ALLOW_LOOPBACK: 'true' })));
});
