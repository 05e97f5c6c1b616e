import t from 'tap';
import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { queueNames } from '@reemploy/events';
import { testQueuePrefix } from '@reemploy/runtime/testing';
import { MAX_JOBS_PER_PAGE } from '@reemploy/runtime/admin-board';
import { build as buildRegistration } from '../services/registration/test/helper.ts';
import { build as buildMatching } from '../services/matching/test/helper.ts';
import { post, seekerPayload } from './helper.ts';

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

  const board = app.routeCatalog.filter((r) => r.url.startsWith('/admin'));
  t.ok(board.filter((r) => r.method === 'GET' || r.method === 'HEAD').every((r) => r.scope === 'admin'), 'every dashboard read declares the admin scope');
  t.ok(board.filter((r) => r.method !== 'GET' && r.method !== 'HEAD').every((r) => r.scope === 'queues:write'), 'every change declares queues:write');
});

t.test('the dashboard is for operators of the whole city', async (t) => {
  const svc = await buildRegistration(t);
  const { app } = svc;
  const district = svc.token(['admin'], ['320508']);
  const res = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: bearer(district) });
  t.equal(res.statusCode, 403, "a district's operator does not see the city's events");
  t.match(res.json(), { code: 'forbidden', detail: /regions covering the city \(3205\)/ });
  t.equal((await app.inject({ method: 'GET', url: '/admin/queues', headers: bearer(district) })).statusCode, 403, 'nor the page');
  const link = await app.inject({ method: 'GET', url: `/admin/queues?token=${district}` });
  t.equal(link.statusCode, 403);
  t.notOk(link.headers['set-cookie'], 'and gets no cookie');
  t.equal((await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: bearer(svc.token(['admin', 'queues:write'], ['320508', '320506'])) })).statusCode, 403, 'nor do two districts');
  t.equal((await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: bearer(svc.token(['admin'], ['32'])) })).statusCode, 200, 'the province covers the city');

  const elsewhere = await buildRegistration(t, { env: { CITY_CODE: '3206' } });
  t.equal((await elsewhere.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: bearer(elsewhere.token(['admin'], ['3205'])) })).statusCode, 403, "CITY_CODE names the city: Suzhou's operators do not watch Nantong's queues");
  t.equal((await elsewhere.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: bearer(elsewhere.token(['admin'], ['3206'])) })).statusCode, 200);
});

t.test('without queues:write the dashboard changes nothing: a forged event cannot be added or edited', async (t) => {
  const svc = await buildRegistration(t);
  const { app } = svc;
  const inbox = new Queue(queueNames.events('registration'), { connection: svc.ctx.redis, prefix: svc.ctx.queuePrefix });
  t.after(() => inbox.close());
  const original = { id: randomUUID(), type: 'referral.created', payload: { note: 'as published' } };
  const waiting = await inbox.add('referral.created', original, { delay: 60_000 });
  await inbox.add('referral.created', original);
  // Taken and failed by hand (BullMQ's manual processing), so it sits in the failed set for a retry to find.
  const taker = new Worker(queueNames.events('registration'), null, { connection: { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null }, prefix: svc.ctx.queuePrefix });
  t.after(() => taker.close());
  const taken = await taker.getNextJob('by-hand');
  await taken!.moveToFailed(new Error('failed on purpose'), 'by-hand');
  const forged = { id: randomUUID(), type: 'referral.hired', version: 1, producer: 'matching', seq: 1, subject: 'x', occurredAt: new Date().toISOString(), payload: { seekerId: randomUUID() } };

  const operator = svc.token(['admin']);
  const listed = (await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: bearer(operator) })).json() as { queues: { readOnlyMode: boolean; allowRetries: boolean }[] };
  t.ok(listed.queues.every((q) => q.readOnlyMode && !q.allowRetries), 'the page is told every queue is read-only');

  // Every route of the installed bull-board that is not a read.
  const changes = app.routeCatalog.filter((r) => r.url.startsWith('/admin/queues/api') && r.method !== 'GET' && r.method !== 'HEAD');
  const urls = changes.map((r) => `${r.method} ${r.url}`);
  for (const expected of ['POST /admin/queues/api/queues/:queueName/add', 'PATCH /admin/queues/api/queues/:queueName/:jobId/update-data', 'PUT /admin/queues/api/queues/:queueName/:jobId/retry', 'PUT /admin/queues/api/queues/:queueName/retry/:queueStatus', 'PUT /admin/queues/api/queues/:queueName/clean/:queueStatus', 'PUT /admin/queues/api/queues/:queueName/:jobId/promote', 'PUT /admin/queues/api/queues/:queueName/pause', 'PUT /admin/queues/api/queues/pause', 'PUT /admin/queues/api/queues/:queueName/empty', 'PUT /admin/queues/api/queues/:queueName/obliterate']) {
    t.ok(urls.includes(expected), `${expected} is among them`);
  }
  const bodies: Record<string, object> = { add: { name: 'referral.hired', data: forged }, 'update-data': { jobData: forged }, obliterate: {}, delay: { runAt: Date.now() }, priority: { priority: 1 }, concurrency: { concurrency: 1 } };
  for (const route of changes) {
    const url = route.url.replace(':queueName', queueNames.events('registration')).replace(':jobId', String(waiting.id)).replace(':queueStatus', 'failed').replace(':schedulerId', 'x');
    const res = await app.inject({ method: route.method as 'PUT', url, headers: bearer(operator), payload: bodies[url.split('/').pop()!] ?? {} });
    t.equal(res.statusCode, 403, `${route.method} ${route.url}: 403 without queues:write`);
  }
  t.same((await inbox.getJob(String(waiting.id)))?.data, original, 'the job still carries what was published');
  t.equal(await inbox.getFailedCount(), 1, 'the failed job was neither retried nor cleaned');
  t.equal(await inbox.count(), 1, 'nothing was added');
  t.notOk(await inbox.isPaused(), 'the queue was not paused');

  const districtWriter = svc.token(['admin', 'queues:write'], ['320508']);
  const add = (token: string) => app.inject({ method: 'POST', url: `/admin/queues/api/queues/${queueNames.events('registration')}/add`, headers: bearer(token), payload: bodies.add });
  t.equal((await add(districtWriter)).statusCode, 403, 'queues:write does not help a district operator');
  t.equal((await add(svc.token(['queues:write']))).statusCode, 403, 'nor a token without the admin scope');

  const writer = svc.token(['admin', 'queues:write']);
  const writable = (await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: bearer(writer) })).json() as { queues: { readOnlyMode: boolean }[] };
  t.ok(writable.queues.every((q) => !q.readOnlyMode), 'a city operator with queues:write gets the actions');
  t.equal((await add(writer)).statusCode, 200, 'and may add a job (its consumer still refuses it: no relay signed it)');
  t.equal(await inbox.count(), 2);
});

t.test('job data shows no birth date or other personal field without pii:read', async (t) => {
  const queuePrefix = testQueuePrefix();
  const registration = await buildRegistration(t, { queuePrefix });
  const matching = await buildMatching(t, { queuePrefix });
  const person = seekerPayload(3, { phone: '13912345678' });
  const created = await post(registration.app, '/v1/job-seekers', registration.token(['seekers:write']), person);
  t.equal(created.statusCode, 201, created.body);
  // Registration's relay puts the seeker's snapshot on matching's queue; matching's consumer is not running, so it waits there.
  await (await registration.startWorkers()).flushOutbox();
  const events = new Queue(queueNames.events('matching'), { connection: matching.ctx.redis, prefix: queuePrefix });
  t.after(() => events.close());
  const [job] = await events.getWaiting();
  t.ok(job, 'the snapshot waits on the queue');
  const birthDate = (job!.data as { payload: { birthDate: string } }).payload.birthDate;
  t.match(birthDate, /^\d{4}-\d{2}-\d{2}$/, 'the snapshot carries a birth date');

  const list = `/admin/queues/api/queues?activeQueue=${queueNames.events('matching')}&status=waiting`;
  const one = `/admin/queues/api/queues/${queueNames.events('matching')}/${job!.id}`;
  for (const url of [list, one]) {
    const masked = await matching.app.inject({ method: 'GET', url, headers: bearer(matching.token(['admin'])) });
    t.equal(masked.statusCode, 200);
    t.notMatch(masked.body, birthDate, `${url}: no birth date`);
    t.notMatch(masked.body, person.idNumber, 'no identity number');
    t.match(masked.body, '"birthDate":"[masked]"', 'the field says it is masked');
    const shown = await matching.app.inject({ method: 'GET', url, headers: bearer(matching.token(['admin', 'pii:read'])) });
    t.match(shown.body, `"birthDate":"${birthDate}"`, `${url}: shown with pii:read`);
  }
});

t.test('a page of the board lists at most MAX_JOBS_PER_PAGE jobs', async (t) => {
  const svc = await buildRegistration(t);
  const operator = bearer(svc.token(['admin']));
  const page = (n: string) => svc.app.inject({ url: `/admin/queues/api/queues?activeQueue=${queueNames.events('registration')}&status=completed&jobsPerPage=${n}`, headers: operator });
  t.equal((await page(String(MAX_JOBS_PER_PAGE))).statusCode, 200, 'as many as the page offers');
  for (const n of ['100000000', String(MAX_JOBS_PER_PAGE + 1), '0', '-5', '1.5', 'many']) {
    const res = await page(n);
    t.equal(res.statusCode, 400, `jobsPerPage=${n}`);
    t.equal(res.json().errors?.[0]?.field, 'query.jobsPerPage');
  }
});

t.test('a browser passes a short-lived token once and keeps it in a cookie', async (t) => {
  // Tokens may live a day here, so that the URL's own limit is what refuses a day-long one.
  const svc = await buildRegistration(t, { env: { TOKEN_MAX_LIFETIME_SECONDS: '86400' } });
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

  const longLived = await app.inject({ method: 'GET', url: `/admin/queues?token=${svc.token(['admin'], ['3205'], { sub: 'ops', expiresIn: 86_400 })}` });
  t.equal(longLived.statusCode, 400, 'a day-long token, valid here, is refused in a URL');
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
