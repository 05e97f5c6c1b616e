/**
 * Issue 20, item 6: the OpenAPI documents say what the services really answer.
 * A small city is made in all four services (regions-fixture.ts), then every
 * operation of every service's document is called for real: each GET with the
 * city's records (with and without pii:read, in every format, and a second
 * page), each write with a body of its own (and again under the same
 * Idempotency-Key), and each operation refused (401 without a token, 404 for
 * an unknown record, 400 for a bad body), with 415, 428, 429 and 503 answers
 * besides. Every answer is held against the document the service serves
 * (test/support/openapi-responses.ts: status, content type, headers, body,
 * with ajv). The test fails on any answer that departs from the document, and
 * on any operation of the documents that it did not see succeed and be refused.
 */
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { makeIdNumber } from '@reemploy/domain';
import { eventually } from '@reemploy/runtime/testing';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_PRODUCER } from '@reemploy/webhooks';
import { build as buildRegistration } from '../services/registration/test/helper.ts';
import { creditCode } from '../services/job-postings/test/fixtures.ts';
import { buildCity, COMMUNITIES, FIXED_PARAMS, PARAM_KIND, type City } from './regions-fixture.ts';
import { responseValidator, type Answer, type OpenApiDocument } from './support/openapi-responses.ts';
import { startReceiver } from './support/webhook-receiver.ts';

type ServiceName = keyof City['services'];
interface Parameter {
  in: string;
  name: string;
  required?: boolean;
  schema?: { pattern?: string; enum?: string[]; format?: string; anyOf?: { enum?: string[] }[] };
}
type Documented = OpenApiDocument & { paths: Record<string, Record<string, { operationId?: string; parameters?: Parameter[]; security?: unknown[]; requestBody?: { content: Record<string, unknown> } }>> };

interface Request {
  method: string;
  url: string;
  token?: string | null;
  /** An object is sent as JSON; a string with `contentType`. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

const receiver = await startReceiver(t);
// Subscriptions before the city's events, so that deliveries exist to list and replay.
const city = await buildCity({ after: (fn) => t.teardown(fn) }, { webhooksTo: receiver.url() });
const names = Object.keys(city.services) as ServiceName[];
const appOf = (name: ServiceName) => city.services[name].app as FastifyInstance;

/** Every scope a service's routes declare, with pii:read and the operators' scope; inside 3205. */
function fullToken(name: ServiceName, withPii = true): string {
  const svc = city.services[name];
  const scopes = new Set(svc.app.routeCatalog.map((r) => r.scope).filter((s): s is string => !!s && (withPii || s !== 'pii:read')));
  if (withPii) scopes.add('pii:read');
  return svc.token([...scopes], ['3205']);
}
const tokens = Object.fromEntries(names.map((n) => [n, fullToken(n)])) as Record<ServiceName, string>;

const docs = {} as Record<ServiceName, Documented>;
const validators = {} as Record<ServiceName, ReturnType<typeof responseValidator>>;
for (const name of names) {
  docs[name] = (await appOf(name).inject({ url: '/docs/json' })).json() as Documented;
  validators[name] = responseValidator(docs[name]);
}

/** What each operation answered, by status class, and every departure from the document. */
const seen = new Map<string, Set<string>>();
const faults: string[] = [];
let answers = 0;

async function send(name: ServiceName, request: Request, app: FastifyInstance = appOf(name), validator = validators[name]) {
  const token = request.token === undefined ? tokens[name] : request.token;
  const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...request.headers };
  let payload: string | undefined;
  if (typeof request.body === 'string') {
    payload = request.body;
    headers['content-type'] = request.contentType ?? 'text/plain';
  } else if (request.body !== undefined) {
    payload = JSON.stringify(request.body);
    headers['content-type'] = 'application/json';
  }
  const res = await app.inject({ method: request.method as 'GET', url: request.url, headers, ...(payload !== undefined ? { payload } : {}) });
  record(name, { ...request, ...(headers['content-type'] ? { contentType: headers['content-type'] } : {}) }, res, validator);
  return res;
}

function record(name: ServiceName, request: Request & { contentType?: string }, res: Answer & { body?: string }, validator = validators[name]) {
  const checked = validator.check(request, res);
  const where = `${name} ${request.method} ${request.url.slice(0, 120)} → ${res.statusCode}`;
  for (const fault of checked.faults) faults.push(`${where}: ${fault}`);
  answers++;
  // Nothing answers 500; 503 is a documented answer (imports busy, overload, a store away).
  if (res.statusCode >= 500 && res.statusCode !== 503) faults.push(`${where}: ${res.rawPayload.toString('utf8').slice(0, 300)}`);
  if (checked.operationId) {
    const key = `${name} ${checked.operationId}`;
    if (!seen.has(key)) seen.set(key, new Set());
    seen.get(key)!.add(`${String(res.statusCode)[0]}xx`);
  }
}

/** A success the test depends on: its body, or a failure naming what went wrong. */
async function created(name: ServiceName, request: Request): Promise<{ body: Record<string, unknown>; etag: string }> {
  const res = await send(name, request);
  if (res.statusCode >= 300) throw new Error(`${name} ${request.method} ${request.url}: ${res.statusCode} ${res.body.slice(0, 400)}`);
  return { body: res.body ? (res.json() as Record<string, unknown>) : {}, etag: String(res.headers.etag ?? '') };
}

/** A write under an Idempotency-Key, then the same again: the first answer replayed. */
async function twice(name: ServiceName, request: Request) {
  const key = `openapi-${randomUUID()}`;
  const first = await created(name, { ...request, headers: { ...request.headers, 'idempotency-key': key } });
  const again = await send(name, { ...request, headers: { ...request.headers, 'idempotency-key': key } });
  if (again.headers['idempotent-replayed'] !== 'true') faults.push(`${name} ${request.method} ${request.url}: the repeat was not replayed (${again.statusCode})`);
  return first;
}

/** An operation every caller needs a token for (not /health, nor /ready, which anyone may call). */
const needsToken = (operation: { security?: unknown[] }) => !!operation.security?.length && operation.security.every((s) => Object.keys(s as object).length > 0);
const records = (kind: string) => city.records.filter((r) => r.kind === kind);
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

function vacancyOf(employerId: string, communityCode: string, title: string, kind = 'regular') {
  return {
    employerId,
    title,
    occupationCode: '4-07-01',
    skills: ['S010-01'],
    wageMin: 3500,
    wageMax: 4500,
    headcount: 3,
    communityCode,
    kind,
    ...(kind === 'public-welfare' ? { reservedFor: ['OLDER_4050'] } : {}),
    source: 'coordinator',
    validUntil: inDays(30),
  };
}

/** A required query parameter's value: the city's period, its year, a region, a search. */
function requiredValue(p: Parameter): string | undefined {
  if (p.name === 'period') return city.period;
  if (p.name === 'year') return city.period.slice(0, 4);
  if (['region', 'regionCode', 'communityCode', 'within'].includes(p.name)) return p.schema?.pattern && !new RegExp(p.schema.pattern).test('3205') ? COMMUNITIES[0] : '3205';
  if (p.name === 'q') return '苏';
  return undefined;
}

/** The URLs to read an operation at: with the city's records in its path, in each format it offers. */
function readUrls(path: string, parameters: Parameter[]): string[] {
  const route = path.replace(/\{(\w+)\}/g, ':$1');
  const query: Record<string, string> = {};
  for (const p of parameters.filter((q) => q.in === 'query' && q.required)) {
    const value = requiredValue(p);
    if (value === undefined) throw new Error(`${path}: cannot fill the required query parameter ${p.name}`);
    query[p.name] = value;
  }
  const format = parameters.find((p) => p.in === 'query' && p.name === 'format');
  const formats = format?.schema?.enum ?? format?.schema?.anyOf?.find((s) => s.enum)?.enum ?? [undefined];
  const params = [...route.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  let paths: string[];
  if (!params.length) paths = [route];
  else if (FIXED_PARAMS[route]) paths = FIXED_PARAMS[route]!.slice(0, 2).map((v) => route.replace(/:\w+/, v));
  else if (route.startsWith('/v1/assessments/communities/')) paths = COMMUNITIES.slice(0, 2).map((c) => route.replace(':code', c));
  else if (params.join() === 'id,postId') paths = records('reserved-post').slice(0, 2).map((r) => route.replace(':id', r.parentId!).replace(':postId', r.id));
  else {
    const segments = route.split('/');
    const kind = PARAM_KIND[segments[segments.indexOf(`:${params[0]}`) - 1] ?? ''];
    if (!kind || params.length > 1) throw new Error(`${path}: cannot fill the path parameters ${params.join(', ')}`);
    // Every sample: a phone survey's contacts are only there.
    paths = records(kind).slice(0, kind === 'sample' ? undefined : 2).map((r) => route.replace(`:${params[0]}`, r.id));
  }
  return paths.flatMap((p) => formats.map((f) => `${p}?${new URLSearchParams({ ...query, ...(f ? { format: f } : {}) })}`.replace(/\?$/, '')));
}

/** A read, then (for a list) its second page of one item. */
async function read(name: ServiceName, url: string, token: string) {
  const res = await send(name, { method: 'GET', url, token });
  const isList = res.statusCode === 200 && String(res.headers['content-type']).startsWith('application/json') && Array.isArray((res.json() as { items?: unknown }).items);
  if (!isList) return;
  const first = await send(name, { method: 'GET', url: `${url}${url.includes('?') ? '&' : '?'}limit=1`, token });
  const next = first.statusCode === 200 ? (first.json() as { nextCursor?: string | null }).nextCursor : null;
  if (next) await send(name, { method: 'GET', url: `${url}${url.includes('?') ? '&' : '?'}limit=1&cursor=${encodeURIComponent(next)}`, token });
}

t.test('every GET of every service answers as its document says, with and without pii:read', async () => {
  for (const name of names) {
    for (const [path, operations] of Object.entries(docs[name].paths)) {
      const get = operations.get;
      if (!get) continue;
      for (const url of readUrls(path, get.parameters ?? [])) {
        await read(name, url, tokens[name]);
        if (path.startsWith('/v1')) await read(name, url, fullToken(name, false));
      }
    }
  }
});

t.test('registration: every write answers as its document says', async (t) => {
  const name = 'registration';
  const community = COMMUNITIES[0];
  const household = await twice(name, { method: 'POST', url: '/v1/households', body: { communityCode: community } });
  const householdId = household.body.id as string;
  await send(name, { method: 'PATCH', url: `/v1/households/${householdId}`, body: { minorChildren: 1 } }); // 428
  await created(name, { method: 'PATCH', url: `/v1/households/${householdId}`, body: { minorChildren: 1 }, headers: { 'if-match': household.etag } });
  await send(name, { method: 'PATCH', url: `/v1/households/${householdId}`, body: { minorChildren: 2 }, headers: { 'if-match': household.etag } }); // 412

  const idNumber = makeIdNumber('320508', '1970-03-04', 611, 'male');
  const seekerBody = { idNumber, name: '周建華', phone: '13912345601', communityCode: community, householdId, relationship: 'head', education: 'primary', laidOff: true };
  const seeker = await twice(name, { method: 'POST', url: '/v1/job-seekers', body: seekerBody });
  const seekerId = seeker.body.id as string;
  await send(name, { method: 'POST', url: '/v1/job-seekers', body: seekerBody }); // 409: registered already
  await created(name, { method: 'PATCH', url: `/v1/job-seekers/${seekerId}`, body: { phone: '13912345602' }, headers: { 'if-match': seeker.etag } });
  await twice(name, { method: 'POST', url: `/v1/job-seekers/${seekerId}/service-records`, body: { kind: 'visit', at: hoursAgo(1), coordinatorId: 'c-1', note: '走訪' } });
  await twice(name, { method: 'POST', url: `/v1/job-seekers/${seekerId}/employment`, body: { status: 'employed', at: new Date(Date.now() - 1000).toISOString(), employerName: '蘇州某公司' } });

  const rows = [makeIdNumber('320508', '1969-07-08', 612, 'female'), makeIdNumber('320508', '1968-09-10', 613, 'male')];
  const ndjson = rows.map((id, i) => JSON.stringify({ idNumber: id, name: `導入${i}`, communityCode: community, education: 'primary' })).join('\n');
  await created(name, { method: 'POST', url: '/v1/job-seekers/import', body: ndjson, contentType: 'application/x-ndjson' });
  await created(name, { method: 'POST', url: '/v1/job-seekers/import', body: `idNumber,name,communityCode,education\n${rows[0]},導入0,${community},primary\n`, contentType: 'text/csv' });
  await send(name, { method: 'POST', url: '/v1/job-seekers/import', body: { idNumber: rows[0] } }); // 415

  const region = await created(name, { method: 'GET', url: `/v1/regions/${COMMUNITIES[4]}` });
  await created(name, { method: 'PATCH', url: `/v1/regions/${COMMUNITIES[4]}`, body: { communityType: region.body.communityType === 'town' ? 'old-city' : 'town' }, headers: { 'if-match': region.etag } });
  const standard = await created(name, { method: 'GET', url: '/v1/assessment-standards/town' });
  await created(name, { method: 'PUT', url: '/v1/assessment-standards/town', body: { targets: standard.body.targets, note: 'openapi test' }, headers: { 'if-match': standard.etag } });

  // A community of the city that has not applied yet.
  const communities = (await created(name, { method: 'GET', url: '/v1/regions?q=社区&within=320508&level=community&limit=50' })).body.items as { code: string }[];
  const newcomer = communities.map((c) => c.code).find((code) => !(COMMUNITIES as readonly string[]).includes(code));
  t.ok(newcomer, 'a community that has not applied');
  await twice(name, { method: 'POST', url: '/v1/assessments/applications', body: { period: city.period, communityCodes: [newcomer] } });
  await created(name, { method: 'POST', url: '/v1/assessments/samples', body: { kind: 'communities', period: city.period, regionCode: '3205', seed: 'openapi', count: 1 } });
});

t.test('job-postings: every write answers as its document says', async () => {
  const name = 'job-postings';
  const community = COMMUNITIES[1];
  const employer = await twice(name, { method: 'POST', url: '/v1/employers', body: { name: '蘇州文檔測試有限公司', creditCode: creditCode(), communityCode: community, contactName: '王經理', contactPhone: '13912345603' } });
  const employerId = employer.body.id as string;
  await created(name, { method: 'PATCH', url: `/v1/employers/${employerId}`, body: { address: '蘇州市姑蘇區人民路 2 號' }, headers: { 'if-match': employer.etag } });
  const vacancyBody = (title: string) => vacancyOf(employerId, community, title);
  const vacancy = await twice(name, { method: 'POST', url: '/v1/vacancies', body: vacancyBody('倉庫管理員') });
  const vacancyId = vacancy.body.id as string;
  await send(name, { method: 'POST', url: '/v1/vacancies', body: vacancyBody('倉庫管理員') }); // 409: the same open post
  const changed = await created(name, { method: 'PATCH', url: `/v1/vacancies/${vacancyId}`, body: { headcount: 4 }, headers: { 'if-match': vacancy.etag } });
  const duplicate = await created(name, { method: 'POST', url: '/v1/vacancies', body: { ...vacancyBody('倉庫管理員(招聘會)'), source: 'job-fair' } });
  await twice(name, { method: 'POST', url: `/v1/vacancies/${vacancyId}/merge`, body: { duplicateId: duplicate.body.id }, headers: { 'if-match': changed.etag } });
  const closing = await created(name, { method: 'POST', url: '/v1/vacancies', body: vacancyBody('收銀員') });
  await twice(name, { method: 'POST', url: `/v1/vacancies/${closing.body.id}/close`, body: { reason: 'filled elsewhere' } });

  const line = (title: string) => JSON.stringify({ ...vacancyBody(title), skills: undefined });
  await twice(name, { method: 'POST', url: '/v1/vacancies/import', body: `${line('導入保安員')}\n${line('導入保潔員')}\n`, contentType: 'application/x-ndjson' });
  const v = vacancyBody('導入電工');
  await created(name, {
    method: 'POST',
    url: '/v1/vacancies/import',
    body: `employerId,title,occupationCode,wageMin,wageMax,headcount,communityCode,kind,source,validUntil\n${[v.employerId, v.title, v.occupationCode, v.wageMin, v.wageMax, v.headcount, v.communityCode, v.kind, v.source, v.validUntil].join(',')}\n`,
    contentType: 'text/csv',
  });

  const fair = await twice(name, { method: 'POST', url: '/v1/job-fairs', body: { name: '文檔招聘會', date: inDays(9).slice(0, 10), startsAt: '09:00', endsAt: '11:00', venue: '人力資源市場', communityCode: community } });
  await twice(name, { method: 'POST', url: `/v1/job-fairs/${fair.body.id}/vacancies`, body: { vacancyIds: [vacancyId] } });
});

t.test('assistance-bases: every write answers as its document says', async () => {
  const name = 'assistance-bases';
  const community = COMMUNITIES[1];
  const base = await twice(name, { method: 'POST', url: '/v1/aid-bases', body: { name: '文檔援助基地', communityCode: community, address: '蘇州市', sectors: ['零售'], joinedYear: 2012, cohort: 'added' } });
  const baseId = base.body.id as string;
  await created(name, { method: 'PATCH', url: `/v1/aid-bases/${baseId}`, body: { sectors: ['零售', '物業'] }, headers: { 'if-match': base.etag } });
  await twice(name, { method: 'POST', url: '/v1/aid-bases/import', body: `name,communityCode,address,sectors,joinedYear,cohort\n導入援助基地,${community},蘇州市,零售,2015,added\n`, contentType: 'text/csv' });

  // A public-welfare post of the base's community, learnt from job-postings' events.
  const welfare = vacancyOf(city.perCommunity.get(community)!.employer, community, '社區綠化員', 'public-welfare');
  const vacancyId = (await created('job-postings', { method: 'POST', url: '/v1/vacancies', body: welfare })).body.id as string;
  const svc = city.services[name];
  await eventually(async () => ((await svc.ctx.database.pool.query('select 1 from vacancies where vacancy_id = $1', [vacancyId])).rowCount ? true : undefined), 20_000, 100);
  const post = await twice(name, { method: 'POST', url: `/v1/aid-bases/${baseId}/reserved-posts`, body: { vacancyId, reservedFor: ['OLDER_4050'], quota: 2 } });
  const postUrl = `/v1/aid-bases/${baseId}/reserved-posts/${post.body.id}`;
  const changed = await created(name, { method: 'PATCH', url: postUrl, body: { quota: 1 }, headers: { 'if-match': post.etag } });
  await created(name, { method: 'POST', url: `${postUrl}/withdraw`, body: { reason: 'openapi test' }, headers: { 'if-match': changed.etag } });
});

t.test('matching: every write answers as its document says', async () => {
  const name = 'matching';
  // A seeker of working age registered now, once matching has learnt of him, and an open post of his community.
  const community = COMMUNITIES[1];
  const seeker = await created('registration', {
    method: 'POST',
    url: '/v1/job-seekers',
    body: { idNumber: makeIdNumber('320508', '1980-05-06', 621, 'male'), name: '吳志強', communityCode: community, education: 'senior-secondary', skills: ['S010-01'], laidOff: true },
  });
  const seekerId = seeker.body.id as string;
  const svc = city.services[name];
  await eventually(async () => ((await svc.ctx.database.pool.query('select 1 from seekers where seeker_id = $1', [seekerId])).rowCount ? true : undefined), 20_000, 100);
  const vacancyId = city.perCommunity.get(community)!.vacancy;
  const referral = await twice(name, { method: 'POST', url: '/v1/referrals', body: { seekerId, vacancyId, referredBy: '文檔測試' } });
  await twice(name, { method: 'POST', url: `/v1/referrals/${referral.body.id}/outcome`, body: { outcome: 'withdrawn' } });

  const run = await twice(name, { method: 'POST', url: '/v1/matching-runs', body: { regionCode: '320505' }, token: city.services.matching.token(['matching:run', 'matching:read'], ['320505']) });
  await eventually(async () => {
    const status = (await created(name, { method: 'GET', url: `/v1/matching-runs/${run.body.id}` })).body.status;
    return status === 'completed' || status === 'failed' ? true : undefined;
  }, 30_000, 200);
});

t.test('webhooks (registration, matching): subscribe, list, replay a delivery, delete', async () => {
  for (const name of ['registration', 'matching'] as const) {
    const eventTypes = WEBHOOK_EVENT_TYPES.filter((type) => WEBHOOK_PRODUCER[type] === name);
    const subscription = await twice(name, { method: 'POST', url: '/v1/webhooks/subscriptions', body: { url: receiver.url('/second'), secret: 'another-secret-of-the-test', eventTypes } });
    const deliveries = await eventually(async () => {
      const items = (await created(name, { method: 'GET', url: '/v1/webhooks/deliveries' })).body.items as { id: string }[];
      return items.length ? items : undefined;
    }, 20_000, 200);
    await created(name, { method: 'POST', url: `/v1/webhooks/deliveries/${deliveries[0]!.id}/replay` });
    await created(name, { method: 'DELETE', url: `/v1/webhooks/subscriptions/${subscription.body.id}` });
    await send(name, { method: 'DELETE', url: `/v1/webhooks/subscriptions/${subscription.body.id}` }); // 404
  }
});

t.test('every operation refused: 401 without a token, unknown records, bad bodies', async () => {
  for (const name of names) {
    for (const [path, operations] of Object.entries(docs[name].paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const uuid = (operation.parameters ?? []).some((p) => p.in === 'path' && p.schema?.format === 'uuid');
        const url = path.replace(/\{(\w+)\}/g, () => randomUUID());
        const hasBody = !!operation.requestBody?.content['application/json'];
        if (needsToken(operation)) await send(name, { method, url, token: null, ...(hasBody ? { body: {} } : {}) });
        if (uuid) await send(name, { method, url, ...(hasBody ? { body: {} } : {}) });
        if (hasBody && !uuid) await send(name, { method, url: readUrls(path, operation.parameters ?? [])[0] ?? url, body: { notAField: true } });
      }
    }
  }
});

t.test('429 and 503 answer as the documents say', async (t) => {
  // Its own registration: one import at a time per caller and per process, two unauthenticated requests a minute.
  const svc = await buildRegistration(t, { env: { IMPORT_CONCURRENCY_PER_CALLER: '1', IMPORT_CONCURRENCY_PER_SERVICE: '1', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '2' } });
  const app = svc.app as FastifyInstance;
  const doc = (await app.inject({ url: '/docs/json' })).json() as OpenApiDocument;
  const validator = responseValidator(doc);
  const statuses: number[] = [];
  const importAs = async (sub: string) => {
    const res = await send('registration', { method: 'POST', url: '/v1/job-seekers/import', token: svc.token(['seekers:write'], ['3205'], { sub }), body: '\n', contentType: 'application/x-ndjson' }, app, validator);
    statuses.push(res.statusCode);
    return res;
  };

  // An upload held open (its body not yet sent, over a real connection) takes the caller's and the process's import slot.
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const hold = () => {
    const held = httpRequest({
      port,
      host: '127.0.0.1',
      method: 'POST',
      path: '/v1/job-seekers/import',
      headers: { authorization: `Bearer ${svc.token(['seekers:write'], ['3205'], { sub: 'holder' })}`, 'content-type': 'application/x-ndjson' },
    });
    const upload = { settled: false, release: () => void held.end('\n'), answer: undefined as unknown as Promise<Answer> };
    upload.answer = new Promise<Answer>((resolve, reject) => {
      held.on('response', async (res) => {
        const chunks: Buffer[] = [];
        for await (const c of res) chunks.push(c as Buffer);
        upload.settled = true;
        resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, rawPayload: Buffer.concat(chunks) });
      });
      held.on('error', reject);
    });
    held.flushHeaders();
    t.teardown(() => held.destroy());
    return upload;
  };
  // A probe that came first takes the slot and the holder is refused: then the holder tries again.
  let holder = hold();
  await eventually(async () => {
    if (holder.settled) {
      record('registration', { method: 'POST', url: '/v1/job-seekers/import' }, await holder.answer, validator);
      holder = hold();
    }
    await new Promise((r) => setTimeout(r, 100));
    return (await importAs('another')).statusCode === 503 ? true : undefined;
  }, 20_000, 0);
  t.equal((await importAs('holder')).statusCode, 429, 'the same caller again: 429 too-many-imports');
  holder.release();
  const released = await holder.answer;
  t.equal(released.statusCode, 200, 'the held upload, once sent, is imported');
  record('registration', { method: 'POST', url: '/v1/job-seekers/import', contentType: 'application/x-ndjson' }, released, validator);

  for (let i = 0; i < 3; i++) statuses.push((await send('registration', { method: 'GET', url: '/v1/households', token: null }, app, validator)).statusCode);
  t.ok(statuses.includes(503) && statuses.filter((s) => s === 429).length >= 2, `503 and 429 answered (${statuses.join(', ')})`);
});

t.test('every answer is what the documents declare, and every operation was seen to succeed and to be refused', async (t) => {
  t.ok(answers > 400, `${answers} answers held against the documents`);
  t.same(faults, [], 'no answer departs from its document');
  const missing: string[] = [];
  for (const name of names) {
    for (const [path, operations] of Object.entries(docs[name].paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const classes = seen.get(`${name} ${operation.operationId}`) ?? new Set();
        if (!classes.has('2xx')) missing.push(`${name} ${method.toUpperCase()} ${path} (${operation.operationId}): no success`);
        if (needsToken(operation) && !classes.has('4xx')) missing.push(`${name} ${method.toUpperCase()} ${path} (${operation.operationId}): no refusal`);
      }
    }
    t.ok(validators[name].operationIds.length > 10, `${name}: ${validators[name].operationIds.length} operations`);
  }
  t.same(missing, [], 'every operation of the four documents was exercised');
});

// Every answer above was written by its route's compiled schema and, checks being on in tests, by zod
// too: the same bytes (packages/http-kit/src/response-serializer.ts). Only these keep zod's path.
t.test('every route writes its answers by its compiled schema, save those listed here', async (t) => {
  const serializers = names.flatMap((name) => appOf(name).responseSerializers.map((s) => ({ name, ...s })));
  const fallbacks = serializers.filter((s) => s.fallback).map((s) => `${s.name} ${s.method} ${s.url} ${s.status}: ${s.fallback}`);
  t.same(
    fallbacks,
    [
      // No body to write.
      'registration DELETE /v1/webhooks/subscriptions/:id 204: the type undefined',
      'matching DELETE /v1/webhooks/subscriptions/:id 204: the type undefined',
    ],
    'the zod path is kept only where the compiled schema cannot write what zod writes',
  );
  t.ok(serializers.length - fallbacks.length > 400, `${serializers.length - fallbacks.length} compiled`);
});
