/**
 * Every ciphertext is bound to its table, column and row (AES-GCM associated
 * data), and each service encrypts under a key of its own: a value copied into
 * another row, or read by another service, does not decrypt.
 */
import t from 'tap';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recordEvent } from '@reemploy/messaging';
import { eventually } from '@reemploy/runtime/testing';
import { openWebhookQueue, verifySignature } from '@reemploy/webhooks';
import { build as buildRegistration } from '../../services/registration/test/helper.ts';
import { build as buildJobPostings } from '../../services/job-postings/test/helper.ts';
import { employer } from '../../services/job-postings/test/fixtures.ts';
import { seekerPayload } from '../helper.ts';

const SEEKER_SCOPES = ['seekers:read', 'seekers:write', 'pii:read'];

t.test("a seeker's identity number copied into another seeker's row no longer decrypts: 409 pii-integrity, nothing shown", async (t) => {
  const reg = await buildRegistration(t);
  const headers = { authorization: `Bearer ${reg.token(SEEKER_SCOPES)}` };
  const ids: string[] = [];
  for (const n of [1, 2]) {
    const res = await reg.app.inject({ method: 'POST', url: '/v1/job-seekers', headers, payload: seekerPayload(600 + n, { phone: `1381234${6000 + n}` }) });
    t.equal(res.statusCode, 201);
    ids.push(res.json().id);
  }
  const [a, b] = ids as [string, string];
  const aNumber = seekerPayload(601).idNumber;
  // What someone able to write the table could do: give B the identity number (and phone) of A.
  await reg.ctx.database.pool.query(
    'update job_seekers set id_number_enc = a.id_number_enc, phone_enc = a.phone_enc from job_seekers a where a.id = $1 and job_seekers.id = $2',
    [a, b],
  );
  const read = await reg.app.inject({ url: `/v1/job-seekers/${b}`, headers });
  t.equal(read.statusCode, 409, 'refused, not answered with A');
  t.equal(read.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.match(read.json(), { code: 'pii-integrity', status: 409 });
  t.notMatch(read.body, aNumber, "A's identity number is nowhere in the answer");
  const masked = await reg.app.inject({ url: `/v1/job-seekers/${b}`, headers: { authorization: `Bearer ${reg.token(['seekers:read'])}` } });
  t.equal(masked.statusCode, 409, 'masked or not');
  t.equal((await reg.app.inject({ url: `/v1/job-seekers?limit=50`, headers })).statusCode, 409, 'a list that holds the row is refused too');
  const own = await reg.app.inject({ url: `/v1/job-seekers/${a}`, headers });
  t.equal(own.statusCode, 200, 'A itself still reads');
  t.equal(own.json().idNumber, aNumber);
});

t.test('a re-import that changes a registered person stores the new name and phone bound to that person', async (t) => {
  const reg = await buildRegistration(t);
  const headers = { authorization: `Bearer ${reg.token(SEEKER_SCOPES)}` };
  const upload = (rows: object[]) =>
    reg.app.inject({ method: 'POST', url: '/v1/job-seekers/import', headers: { ...headers, 'content-type': 'application/x-ndjson' }, payload: rows.map((r) => JSON.stringify(r)).join('\n') });
  const alone = seekerPayload(621);
  const member = { ...seekerPayload(622), householdKey: 'H-622', relationship: 'head' };
  const first = await upload([alone, member]);
  t.match(first.json(), { created: 2 });
  const [aloneId, memberId] = first.json().report.map((r: { id: string }) => r.id);
  // Each row is prepared with the id a new person would get; these two keep theirs.
  const changed = await upload([
    { ...alone, name: '王秀英', phone: '13700006210' },
    { ...member, name: '王建国', phone: '13700006220' },
  ]);
  t.match(changed.json(), { updated: 2, report: [{ id: aloneId }, { id: memberId }] });
  t.match((await reg.app.inject({ url: `/v1/job-seekers/${aloneId}`, headers })).json(), { name: '王秀英', phone: '13700006210' }, 'a person alone');
  t.match((await reg.app.inject({ url: `/v1/job-seekers/${memberId}`, headers })).json(), { name: '王建国', phone: '13700006220' }, 'a household member');
});

t.test("an employer's contact phone copied into another employer's row no longer decrypts", async (t) => {
  const jobs = await buildJobPostings(t);
  const headers = { authorization: `Bearer ${jobs.token(['employers:read', 'employers:write', 'pii:read'], ['320508'])}` };
  const ids: string[] = [];
  for (const phone of ['13911110001', '13911110002']) {
    const res = await jobs.app.inject({ method: 'POST', url: '/v1/employers', headers, payload: employer({ contactPhone: phone }) });
    t.equal(res.statusCode, 201);
    ids.push(res.json().id);
  }
  await jobs.ctx.database.pool.query('update employers set contact_phone_enc = a.contact_phone_enc from employers a where a.id = $1 and employers.id = $2', ids);
  const read = await jobs.app.inject({ url: `/v1/employers/${ids[1]}`, headers });
  t.equal(read.statusCode, 409);
  t.match(read.json(), { code: 'pii-integrity' });
  t.notMatch(read.body, '13911110001');
  t.match((await jobs.app.inject({ url: `/v1/employers/${ids[0]}`, headers })).json(), { contactPhone: '13911110001' }, 'the first employer still reads');
});

t.test('each service encrypts under a key of its own: one service cannot read what another stored, even at the same place', async (t) => {
  const reg = await buildRegistration(t);
  const jobs = await buildJobPostings(t);
  const place = { table: 'webhook_subscriptions', column: 'secret_enc', row: '00000000-0000-4000-8000-000000000001' };
  const stored = reg.ctx.pii.encrypt('a secret of registration', place);
  t.equal(reg.ctx.pii.decrypt(stored, place), 'a secret of registration');
  t.throws(() => jobs.ctx.pii.decrypt(stored, place), { name: 'PiiIntegrityError' }, "job-postings' key does not open it");
  t.not(reg.ctx.pii.hash('320508197505121234'), jobs.ctx.pii.hash('320508197505121234'), 'nor do their lookup hashes agree');
});

t.test("an Idempotency-Key's sealed answer copied to another key is not replayed there", async (t) => {
  const reg = await buildRegistration(t);
  const headers = { authorization: `Bearer ${reg.token(SEEKER_SCOPES)}` };
  const post = (n: number, key: string) => reg.app.inject({ method: 'POST', url: '/v1/job-seekers', headers: { ...headers, 'idempotency-key': key }, payload: seekerPayload(n) });
  const first = await post(611, 'seal-a');
  const second = await post(612, 'seal-b');
  t.equal(first.statusCode, 201);
  t.equal(second.statusCode, 201);
  t.equal((await post(612, 'seal-b')).body, second.body, 'a replay answers the first answer');
  // The answer stored under seal-a, now under seal-b.
  await reg.ctx.database.pool.query(
    `update idempotency_keys set response = a.response from idempotency_keys a where a.key = 'seal-a' and idempotency_keys.key = 'seal-b' and a.caller = idempotency_keys.caller`,
  );
  const replay = await post(612, 'seal-b');
  t.equal(replay.statusCode, 422, 'refused: read the record instead');
  t.notMatch(replay.body, seekerPayload(611).idNumber, 'the other answer is not shown');
});

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

t.test("a webhook secret copied into another subscription does not sign that subscription's deliveries", async (t) => {
  const received: { path: string; validUnderA: boolean; validUnderB: boolean }[] = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const signature = String(req.headers['reemploy-signature']);
    received.push({ path: req.url ?? '', validUnderA: verifySignature('secret-of-subscriber-a', body, signature), validUnderB: verifySignature('secret-of-subscriber-b', body, signature) });
    res.writeHead(204).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // A receiver on loopback (development flag); subscribing needs the read scope of the type's data.
  const reg = await buildRegistration(t, { env: { WEBHOOK_ALLOW_LOOPBACK: 'true' } });
  const headers = { authorization: `Bearer ${reg.token(['webhooks:manage', 'seekers:read'])}` };
  const ids: string[] = [];
  for (const who of ['a', 'b']) {
    const res = await reg.app.inject({ method: 'POST', url: '/v1/webhooks/subscriptions', headers, payload: { url: `${base}/${who}`, secret: `secret-of-subscriber-${who}`, eventTypes: ['seeker.re-employed'] } });
    t.equal(res.statusCode, 201);
    ids.push(res.json().id);
  }
  await reg.ctx.database.pool.query('update webhook_subscriptions set secret_enc = a.secret_enc from webhook_subscriptions a where a.id = $1 and webhook_subscriptions.id = $2', ids);
  await reg.startWorkers();
  const seekerId = crypto.randomUUID();
  await reg.ctx.db.transaction().execute((trx) =>
    recordEvent(trx, 'seeker.employment-changed', seekerId, {
      seekerId,
      householdId: null,
      communityCode: '320508024043',
      gender: 'female',
      birthDate: '1975-03-12',
      education: 'primary',
      skills: [],
      desiredOccupations: [],
      expectedMonthlyWage: null,
      ableToWork: true,
      willingToWork: true,
      status: 'employed',
      hardshipCategories: [],
    }),
  );
  await eventually(async () => (received.some((r) => r.path === '/a') ? true : undefined), 15_000, 100);
  t.match(received, [{ path: '/a', validUnderA: true }], "A's delivery goes out, signed with A's secret");
  // B's dispatch pass ran and was refused.
  const queue = openWebhookQueue('registration', reg.ctx.redis, reg.ctx.queuePrefix, reg.ctx.logger);
  t.teardown(() => queue.close());
  const [failed] = await eventually(async () => {
    const jobs = await queue.getFailed();
    return jobs.length ? jobs : undefined;
  }, 15_000, 100);
  t.match(failed, { data: { subscriptionId: ids[1] }, failedReason: /secret_enc of .* fails its integrity check/ }, "B's dispatch refused the secret");
  t.notOk(received.some((r) => r.path === '/b'), "nothing reaches B's receiver signed with A's secret");
  const { rows } = await reg.ctx.database.pool.query('select status, attempts from webhook_deliveries where subscription_id = $1', [ids[1]]);
  t.match(rows, [{ status: 'pending', attempts: 0 }], "B's delivery waits, never attempted");
});
