import t from 'tap';
import { execFile } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildApp, closeContext, createContext, encryptedColumnsOf, HashKeyMismatch, rotatePiiKeys, UnboundPiiRefused, type ServiceDefinition } from '@reemploy/runtime';
import { TEST_AUDIENCES, testIssuer } from '@reemploy/runtime/testing';
import { secretPlace } from '@reemploy/webhooks';
import { registration } from '../../services/registration/src/definition.ts';
import { jobPostings } from '../../services/job-postings/src/definition.ts';
import { build as buildRegistration } from '../../services/registration/test/helper.ts';
import { build as buildJobPostings } from '../../services/job-postings/test/helper.ts';
import { employer } from '../../services/job-postings/test/fixtures.ts';
import { seekerPayload } from '../helper.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const key = () => randomBytes(32).toString('base64');
const A = key();
const B = key();
const HASH = key();
// The lookup-hash key is set explicitly from the start, as .env.example asks before any rotation.
const underA = { PII_KEY: A, PII_KEY_ID: 'ka', PII_HASH_KEY: HASH };
const underBwithA = { PII_KEY: B, PII_KEY_ID: 'kb', PII_OLD_KEYS: `ka:${A}`, PII_HASH_KEY: HASH };
const underB = { PII_KEY: B, PII_KEY_ID: 'kb', PII_HASH_KEY: HASH };

type AnyDef = ServiceDefinition;

/** The same service (same role, schema and queues) restarted with another configuration. */
async function restart(t: { teardown(fn: () => unknown): void }, def: AnyDef, built: { env: { DATABASE_URL: string }; database: { schema: string }; queuePrefix: string }, keys: Record<string, string>) {
  const env = def.parseEnv({
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: built.env.DATABASE_URL,
    DB_SCHEMA: built.database.schema,
    DB_POOL_MAX: '4',
    QUEUE_PREFIX: built.queuePrefix,
    LOG_LEVEL: 'silent',
    MAX_EVENT_LOOP_DELAY_MS: '0',
    TOKEN_ISSUER: testIssuer.issuer,
    JWKS_JSON: JSON.stringify(testIssuer.jwks),
    ...keys,
  });
  const ctx = createContext(def, env, pino({ level: 'silent' }));
  const app = await buildApp(def, ctx);
  t.teardown(async () => {
    await app.close();
    await closeContext(ctx);
  });
  const token = testIssuer.token({ audience: TEST_AUDIENCES, sub: 'rotation-test', scopes: ['seekers:read', 'seekers:write', 'pii:read', 'employers:read', 'employers:write', 'webhooks:manage'], regions: ['3205'] });
  return { app, ctx, headers: { authorization: `Bearer ${token}` } };
}

const PII_OF_SEEKER = (s: { idNumber: string; name: string; phone: string | null }) => ({ idNumber: s.idNumber, name: s.name, phone: s.phone });

async function readSeeker(app: FastifyInstance, headers: Record<string, string>, id: string) {
  const res = await app.inject({ url: `/v1/job-seekers/${id}`, headers });
  if (res.statusCode !== 200) throw new Error(`GET seeker ${id}: ${res.statusCode} ${res.body}`);
  return PII_OF_SEEKER(res.json());
}

/** Every encrypted value of the service's tables, by format and key id (`v2.ka`: bound, under ka; `ka`: unbound). */
async function keyIdsIn(ctx: { database: { pool: { query(q: string): Promise<{ rows: Record<string, string | null>[] }> } } }, def: AnyDef) {
  const ids = new Map<string, number>();
  for (const spec of encryptedColumnsOf(def)) {
    const { rows } = await ctx.database.pool.query(`select ${spec.columns.join(', ')} from ${spec.table}`);
    for (const row of rows)
      for (const c of spec.columns) {
        const v = row[c];
        if (v === null || v === undefined) continue;
        const parts = v.split('.');
        const id = parts.length === 5 ? `${parts[0]}.${parts[1]}` : parts[0]!;
        ids.set(id, (ids.get(id) ?? 0) + 1);
      }
  }
  return Object.fromEntries([...ids].sort());
}

t.test('PII key rotation without downtime: written under A, readable under B+A, re-encrypted in batches while serving, then B alone reads everything', async (t) => {
  const reg = await buildRegistration(t, { env: underA });
  const jobs = await buildJobPostings(t, { env: underA });
  const regA = { app: reg.app, headers: { authorization: `Bearer ${reg.token(['seekers:read', 'seekers:write', 'pii:read', 'webhooks:manage'])}` } };
  const jobsHeaders = { authorization: `Bearer ${jobs.token(['employers:read', 'employers:write', 'pii:read'])}` };

  // Written under key A.
  const expected = new Map<string, { idNumber: string; name: string; phone: string | null }>();
  for (let n = 1; n <= 23; n++) {
    const payload = seekerPayload(500 + n, { name: `王秀${'英芳兰'[n % 3]}`, ...(n % 4 ? { phone: `1381234${String(1000 + n)}` } : {}) });
    const res = await regA.app.inject({ method: 'POST', url: '/v1/job-seekers', headers: regA.headers, payload });
    t.equal(res.statusCode, 201, res.body);
    expected.set(res.json().id, { idNumber: payload.idNumber, name: payload.name, phone: (payload as { phone?: string }).phone ?? null });
  }
  const certified = await regA.app.inject({
    method: 'POST',
    url: '/v1/households',
    headers: regA.headers,
    payload: { communityCode: '320508024043', minimumLivelihood: { certificateNumber: '苏民低保2024第000555号', since: '2024-01-01' } },
  });
  t.equal(certified.statusCode, 201, certified.body);
  const sub = await regA.app.inject({ method: 'POST', url: '/v1/webhooks/subscriptions', headers: regA.headers, payload: { url: 'https://hooks.example.com/reemploy', secret: 'a-webhook-secret-of-some-length', eventTypes: ['seeker.re-employed'] } });
  t.equal(sub.statusCode, 201, sub.body);
  const employerIds: string[] = [];
  for (let n = 0; n < 3; n++) {
    const res = await jobs.app.inject({ method: 'POST', url: '/v1/employers', headers: jobsHeaders, payload: employer({ contactName: '李建国', contactPhone: '13912345678' }) });
    t.equal(res.statusCode, 201, res.body);
    employerIds.push(res.json().id);
  }
  const regDef = registration as unknown as AnyDef;
  const jobsDef = jobPostings as unknown as AnyDef;
  t.same(await keyIdsIn(reg.ctx, regDef), { 'v2.ka': 23 * 2 + [...expected.values()].filter((e) => e.phone).length + 2 }, 'registration: identity numbers, names, phones, a certificate number and the webhook secret under A');
  t.same(await keyIdsIn(jobs.ctx, jobsDef), { 'v2.ka': 6 }, 'job-postings: contact names and phones under A');

  // The services restart with B current and A retired: everything still reads.
  const regB = await restart(t, regDef, reg.ctx, underBwithA);
  for (const [id, pii] of expected) t.same(await readSeeker(regB.app, regB.headers, id), pii, `seeker ${id.slice(0, 8)} readable under B+A before rotation`);
  const dup = await regB.app.inject({ method: 'POST', url: '/v1/job-seekers', headers: regB.headers, payload: seekerPayload(501) });
  t.equal(dup.statusCode, 409, 'the lookup hash still finds an existing person');

  // The job runs in small batches while requests read, register and change seekers.
  const ids = [...expected.keys()];
  let serving = true;
  const traffic = (async () => {
    let n = 0;
    while (serving) {
      n++;
      const id = ids[n % ids.length]!;
      t.same(await readSeeker(regB.app, regB.headers, id), expected.get(id), 'read during the rotation');
      if (n % 5 === 0) {
        const current = await regB.app.inject({ url: `/v1/job-seekers/${id}`, headers: regB.headers });
        const phone = `1391234${String(2000 + n).slice(-4)}`;
        const patched = await regB.app.inject({ method: 'PATCH', url: `/v1/job-seekers/${id}`, headers: { ...regB.headers, 'if-match': current.headers.etag as string }, payload: { phone } });
        t.equal(patched.statusCode, 200, 'a change during the rotation');
        expected.set(id, { ...expected.get(id)!, phone });
      }
      if (n % 7 === 0) {
        const payload = seekerPayload(700 + n, { name: '张伟', phone: '13700001111' });
        const created = await regB.app.inject({ method: 'POST', url: '/v1/job-seekers', headers: regB.headers, payload });
        t.equal(created.statusCode, 201, 'a registration during the rotation');
        expected.set(created.json().id, { idNumber: payload.idNumber, name: '张伟', phone: '13700001111' });
      }
    }
    return n;
  })();
  const progress: number[] = [];
  const result = await rotatePiiKeys(regB.ctx, encryptedColumnsOf(regDef), { batchSize: 4, onProgress: (p) => progress.push(p.rotated) });
  serving = false;
  t.ok((await traffic) > 0, 'requests were served during the rotation');
  t.equal(result.remaining, 0, 'nothing left under A');
  t.ok(progress.length >= 6, `in batches (${progress.length})`);
  t.match(result.tables, [
    { table: 'job_seekers', rotated: 23, bound: 0 },
    { table: 'households', rotated: 1, bound: 0, total: 1 },
    { table: 'webhook_subscriptions', rotated: 1, bound: 0, total: 1 },
  ]);
  const rawB = await keyIdsIn(regB.ctx, regDef);
  t.same(Object.keys(rawB), ['v2.kb'], `the raw table holds every value under B (${rawB['v2.kb']})`);
  t.same((await rotatePiiKeys(regB.ctx, encryptedColumnsOf(regDef))).tables.map((x) => x.rotated), [0, 0, 0], 'running again changes nothing (resumable, idempotent)');

  // job-postings through the command operators run.
  // The service's own role and keys under its prefixed names, as operators give them for several services at once.
  const ownVariables = Object.fromEntries(Object.entries({ ...underBwithA, DATABASE_URL: jobs.ctx.env.DATABASE_URL }).map(([k, v]) => [`JOB_POSTINGS_${k}`, v]));
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'packages/provisioning/src/rotate-pii.ts', '--service', 'job-postings', '--batch-size', '2'], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', ...ownVariables, NODE_ENV: 'test', DB_SCHEMA: jobs.ctx.database.schema, LOG_LEVEL: 'silent' },
  });
  t.match(JSON.parse(stdout.trim()), { service: 'job-postings', keyId: 'kb', remaining: 0, tables: [{ table: 'employers', rotated: 3, total: 3 }] });
  t.same(await keyIdsIn(jobs.ctx, jobsDef), { 'v2.kb': 6 }, 'job-postings: every contact under B');

  // B alone: A can be removed from the configuration.
  const regOnlyB = await restart(t, regDef, reg.ctx, underB);
  for (const [id, pii] of expected) t.same(await readSeeker(regOnlyB.app, regOnlyB.headers, id), pii, `seeker ${id.slice(0, 8)} readable under B alone`);
  const household = await regOnlyB.app.inject({ url: `/v1/households/${certified.json().id}`, headers: regOnlyB.headers });
  t.equal(household.json().minimumLivelihood.certificateNumber, '苏民低保2024第000555号', 'the certificate number reads under B alone');
  const subscription = (await regOnlyB.ctx.database.pool.query('select id, secret_enc from webhook_subscriptions')).rows[0];
  t.equal(regOnlyB.ctx.pii.decrypt(subscription.secret_enc, secretPlace(subscription.id)), 'a-webhook-secret-of-some-length', 'the webhook secret decrypts under B alone');
  const again = await regOnlyB.app.inject({ method: 'POST', url: '/v1/job-seekers', headers: regOnlyB.headers, payload: seekerPayload(502) });
  t.equal(again.statusCode, 409, 'lookups still find every person');
  const jobsOnlyB = await restart(t, jobsDef, jobs.ctx, underB);
  for (const id of employerIds) {
    const res = await jobsOnlyB.app.inject({ url: `/v1/employers/${id}`, headers: jobsOnlyB.headers });
    t.match(res.json(), { contactName: '李建国', contactPhone: '13912345678' }, 'an employer contact reads under B alone');
  }
});

t.test('a rotation under a lookup-hash key that changed stops at once and changes nothing', async (t) => {
  const reg = await buildRegistration(t, { env: { PII_KEY: A, PII_KEY_ID: 'ka' } });
  const headers = { authorization: `Bearer ${reg.token(['seekers:write'])}` };
  for (let n = 1; n <= 3; n++) t.equal((await reg.app.inject({ method: 'POST', url: '/v1/job-seekers', headers, payload: seekerPayload(800 + n) })).statusCode, 201);
  // PII_HASH_KEY was never set: the hash key was derived from A, and B derives another.
  const regDef = registration as unknown as AnyDef;
  const regB = await restart(t, regDef, reg.ctx, { PII_KEY: B, PII_KEY_ID: 'kb', PII_OLD_KEYS: `ka:${A}` });
  await t.rejects(rotatePiiKeys(regB.ctx, encryptedColumnsOf(regDef)), HashKeyMismatch);
  t.same(await keyIdsIn(reg.ctx, regDef), { 'v2.ka': 6 }, 'nothing re-encrypted');
});

/** A value as the version before binding wrote it: `keyId.iv.tag.ciphertext`, no associated data. */
function unbound(keyId: string, key: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key, 'base64'), iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

t.test('values written before binding: refused by default, read while PII_READ_UNBOUND is on, then bound and counted by the rotation', async (t) => {
  const reg = await buildRegistration(t, { env: underA });
  const regDef = registration as unknown as AnyDef;
  const headers = { authorization: `Bearer ${reg.token(['seekers:read', 'seekers:write', 'pii:read', 'webhooks:manage'])}` };
  const expected = new Map<string, { idNumber: string; name: string; phone: string | null }>();
  for (let n = 1; n <= 4; n++) {
    const payload = seekerPayload(900 + n, n % 2 ? { phone: `1371234${1000 + n}` } : {});
    const res = await reg.app.inject({ method: 'POST', url: '/v1/job-seekers', headers, payload });
    t.equal(res.statusCode, 201);
    expected.set(res.json().id, { idNumber: payload.idNumber, name: payload.name, phone: (payload as { phone?: string }).phone ?? null });
  }
  const sub = await reg.app.inject({ method: 'POST', url: '/v1/webhooks/subscriptions', headers, payload: { url: 'https://hooks.example.com/reemploy', secret: 'a-webhook-secret-of-some-length', eventTypes: ['seeker.re-employed'] } });
  t.equal(sub.statusCode, 201);
  // The register as the previous version left it: the same values under the same key, bound to nothing.
  const pool = reg.ctx.database.pool;
  for (const [id, pii] of expected) {
    await pool.query('update job_seekers set id_number_enc = $2, name_enc = $3, phone_enc = $4 where id = $1', [
      id,
      unbound('ka', A, pii.idNumber),
      unbound('ka', A, pii.name),
      pii.phone === null ? null : unbound('ka', A, pii.phone),
    ]);
  }
  await pool.query('update webhook_subscriptions set secret_enc = $1', [unbound('ka', A, 'a-webhook-secret-of-some-length')]);
  t.same(await keyIdsIn(reg.ctx, regDef), { ka: 11 }, 'eleven unbound values');

  const [first] = expected.keys();
  const strict = await reg.app.inject({ url: `/v1/job-seekers/${first}`, headers });
  t.equal(strict.statusCode, 409, 'by default an unbound value is refused like a moved one');
  t.match(strict.json(), { code: 'pii-integrity' });
  await t.rejects(rotatePiiKeys(reg.ctx as never, encryptedColumnsOf(regDef)), UnboundPiiRefused, 'the rotation binds them only when told to');
  t.same(await keyIdsIn(reg.ctx, regDef), { ka: 11 }, 'nothing changed');

  const upgrading = await restart(t, regDef, reg.ctx, { ...underA, PII_READ_UNBOUND: 'true' });
  for (const [id, pii] of expected) t.same(await readSeeker(upgrading.app, upgrading.headers, id), pii, 'read during the upgrade');
  const result = await rotatePiiKeys(upgrading.ctx, encryptedColumnsOf(regDef), { batchSize: 3 });
  t.match(result, {
    remaining: 0,
    tables: [
      { table: 'job_seekers', total: 4, rotated: 4, bound: 10 },
      { table: 'households', total: 0, rotated: 0, bound: 0 },
      { table: 'webhook_subscriptions', total: 1, rotated: 1, bound: 1 },
    ],
  });
  t.same(await keyIdsIn(reg.ctx, regDef), { 'v2.ka': 11 }, 'every value bound, under the same key');
  t.same((await rotatePiiKeys(upgrading.ctx, encryptedColumnsOf(regDef))).tables.map((x) => x.rotated), [0, 0, 0], 'a second run finds nothing');

  const after = await restart(t, regDef, reg.ctx, underA);
  for (const [id, pii] of expected) t.same(await readSeeker(after.app, after.headers, id), pii, 'read with PII_READ_UNBOUND off again');
  const duplicate = await after.app.inject({ method: 'POST', url: '/v1/job-seekers', headers: after.headers, payload: seekerPayload(901) });
  t.equal(duplicate.statusCode, 409, 'the lookup hashes still find each person');
});
