import t from 'tap';
import { Queue } from 'bullmq';
import { queueNames } from '@reemploy/events';
import { build as buildRegistration } from '../services/registration/test/helper.ts';
import { build as buildMatching } from '../services/matching/test/helper.ts';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

t.test('the queue dashboard is behind the admin scope', async (t) => {
  const svc = await buildRegistration(t);
  const { app } = svc;

  const anonymous = await app.inject({ method: 'GET', url: '/admin/queues/api/queues' });
  t.equal(anonymous.statusCode, 401);
  t.match(anonymous.headers['content-type'], /problem\+json/);

  const page = await app.inject({ method: 'GET', url: '/admin/queues' });
  t.equal(page.statusCode, 401, 'the page itself needs a token');

  const reader = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: bearer(svc.token(['seekers:read'])) });
  t.equal(reader.statusCode, 403);
  t.equal(reader.json().code, 'forbidden');

  const admin = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: bearer(svc.token(['admin'])) });
  t.equal(admin.statusCode, 200);
  const names = (admin.json() as { queues: { name: string }[] }).queues.map((q) => q.name).sort();
  t.same(names, [queueNames.events('registration'), queueNames.maintenance('registration')].sort());

  const html = await app.inject({ method: 'GET', url: '/admin/queues', headers: bearer(svc.token(['admin'])) });
  t.equal(html.statusCode, 200);
  t.match(html.headers['content-type'], /text\/html/);

  t.ok(
    app.routeCatalog.filter((r) => r.url.startsWith('/admin')).every((r) => r.scope === 'admin'),
    'every dashboard route declares the admin scope',
  );
});

t.test('a browser passes a short-lived token once and keeps it in a cookie', async (t) => {
  const svc = await buildRegistration(t);
  const { app } = svc;
  const token = svc.token(['admin']);

  const first = await app.inject({ method: 'GET', url: `/admin/queues?token=${token}` });
  t.equal(first.statusCode, 303, 'redirects to drop the token from the address bar');
  t.equal(first.headers.location, '/admin/queues');
  const cookie = String(first.headers['set-cookie']);
  t.match(cookie, /^reemploy_admin=/);
  t.match(cookie, /HttpOnly/);
  t.match(cookie, /SameSite=Strict/);
  t.match(cookie, /Path=\/admin(;|$)/);

  const value = cookie.split(';')[0]!;
  const api = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie: value } });
  t.equal(api.statusCode, 200, 'the cookie authenticates later requests');

  const page = await app.inject({ method: 'GET', url: '/admin/queues', headers: { cookie: value } });
  t.equal(page.statusCode, 200);
  t.match(page.body, '<base href="/admin/queues/"', 'the page loads its assets from under /admin');
  const asset = `/admin/queues/${/href="(static\/css\/[^"]+)"/.exec(page.body)?.[1]}`;
  t.equal((await app.inject({ method: 'GET', url: asset, headers: { cookie: value } })).statusCode, 200, 'assets load with the cookie');
  t.equal((await app.inject({ method: 'GET', url: asset })).statusCode, 401, 'and not without it');

  const forged = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie: 'reemploy_admin=not-a-token' } });
  t.equal(forged.statusCode, 401);

  const reader = await app.inject({ method: 'GET', url: `/admin/queues?token=${svc.token(['seekers:read'])}` });
  t.equal(reader.statusCode, 403, 'a token without the admin scope sets no cookie');
  t.notOk(reader.headers['set-cookie']);

  const outside = await app.inject({ method: 'GET', url: `/v1/job-seekers?token=${token}` });
  t.equal(outside.statusCode, 401, 'query tokens are accepted only under /admin');

  const longLived = await app.inject({
    method: 'GET',
    url: `/admin/queues?token=${(await import('@reemploy/http-kit')).mintToken(svc.ctx.secrets.jwtSecret, { sub: 'ops', scopes: ['admin'], regions: ['3205'], expiresIn: 86_400 })}`,
  });
  t.equal(longLived.statusCode, 400, 'a day-long token is refused in a URL');
});

t.test('matching shows its run queues with their jobs', async (t) => {
  const svc = await buildMatching(t);
  const runs = new Queue(queueNames.matchingRuns, { connection: svc.ctx.redis, prefix: svc.ctx.queuePrefix });
  t.after(() => runs.close());
  await runs.add('probe', {}, { delay: 60_000 });

  const res = await svc.app.inject({ method: 'GET', url: '/admin/queues/api/queues?activeQueue=matching-runs&status=delayed', headers: bearer(svc.token(['admin'])) });
  t.equal(res.statusCode, 200);
  const queues = (res.json() as { queues: { name: string; counts: Record<string, number> }[] }).queues;
  t.same(queues.map((q) => q.name).sort(), ['events-matching', 'maintenance-matching', 'matching-partitions', 'matching-runs']);
  t.equal(queues.find((q) => q.name === 'matching-runs')?.counts.delayed, 1);
});

t.test('the request log never carries a token from the URL', async (t) => {
  const { loggerOptions } = await import('@reemploy/http-kit');
  const serialize = loggerOptions('registration', 'info').serializers.req;
  const logged = serialize({ method: 'GET', url: '/admin/queues?status=failed&token=eyJhbGciOi.x.y', ip: '127.0.0.1' } as never);
  t.equal(logged.url, '/admin/queues?status=failed&token=[redacted]');
});

t.test('the admin cookie is Secure behind a trusted proxy that says https, and only then', async (t) => {
  const forwarded = { 'x-forwarded-proto': 'https' };
  const hasSecure = (cookie: unknown) => /;\s*Secure(;|$)/i.test(String(cookie));
  const handOver = async (svc: Awaited<ReturnType<typeof buildRegistration>>, remoteAddress?: string) => {
    const res = await svc.app.inject({ method: 'GET', url: `/admin/queues?token=${svc.token(['admin'])}`, headers: forwarded, ...(remoteAddress ? { remoteAddress } : {}) });
    t.equal(res.statusCode, 303);
    return res.headers['set-cookie'];
  };

  // By default no peer is trusted: the header changes nothing.
  const direct = await buildRegistration(t);
  t.notOk(hasSecure(await handOver(direct)), 'TRUST_PROXY unset: X-Forwarded-Proto is ignored');

  // The proxy on loopback is trusted; a client elsewhere sending the same header is not.
  const proxied = await buildRegistration(t, { env: { TRUST_PROXY: 'loopback' } });
  t.ok(hasSecure(await handOver(proxied)), 'from the trusted proxy: Secure');
  t.notOk(hasSecure(await handOver(proxied, '203.0.113.9')), 'from an untrusted client: not Secure');
});
