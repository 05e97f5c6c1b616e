/**
 * The write and list routes of every service, read from the service itself:
 * its route catalogue says which routes exist and what scope they need, its
 * OpenAPI document says what each accepts. The bad-input catalogue and the
 * fuzzer both stand on this, so a new route is covered without touching them.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { makeIdNumber } from '@reemploy/domain';
import { applyEvent } from '@reemploy/messaging';
import { build as buildRegistration } from '../../services/registration/test/helper.ts';
import { build as buildJobPostings } from '../../services/job-postings/test/helper.ts';
import { build as buildMatching } from '../../services/matching/test/helper.ts';
import { build as buildAssistanceBases } from '../../services/assistance-bases/test/helper.ts';
import { creditCode } from '../../services/job-postings/test/fixtures.ts';
import { deliver, seeker as seekerEvent, vacancy as vacancyEvent } from '../../services/matching/test/fixtures.ts';
import { vacancySnapshot } from '../../services/assistance-bases/test/support.ts';
import { eventHandlers as aidBaseHandlers } from '../../services/assistance-bases/src/events/handlers.ts';

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  example?: unknown;
}

export interface Param {
  name: string;
  schema: JsonSchema;
  required: boolean;
}

export interface ApiRoute {
  service: string;
  method: string;
  /** Fastify's form: `/v1/households/:id`. */
  url: string;
  scope: string;
  params: Param[];
  query: Param[];
  /** The JSON body schema, when the route takes JSON. */
  body?: JsonSchema;
  /** Content types the route declares (JSON, NDJSON, CSV). */
  bodyTypes: string[];
}

/** Recognisable personal information: it must never come back in a response. */
export const PII = {
  idNumber: makeIdNumber('320508', '1975-06-15', 777, 'male'),
  phone: '13912340077',
};

export const COMMUNITY = '320508024043';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type Builder = typeof buildRegistration | typeof buildJobPostings | typeof buildMatching | typeof buildAssistanceBases;
export const BUILDERS: Record<string, Builder> = {
  registration: buildRegistration,
  'job-postings': buildJobPostings,
  matching: buildMatching,
  'assistance-bases': buildAssistanceBases,
};

interface TestLike {
  after(fn: () => unknown): void;
}

type Svc = Awaited<ReturnType<Builder>>;

/** A field that the example leaves out. */
const OMIT = Symbol('omit');
type Hint = (route: ApiRoute) => unknown;

let sequence = 0;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

export function deref(doc: { components?: { schemas?: Record<string, JsonSchema> } }, schema: JsonSchema | undefined, depth = 0): JsonSchema | undefined {
  if (!schema || depth > 20) return schema;
  if (schema.$ref) return deref(doc, doc.components?.schemas?.[schema.$ref.split('/').pop() as string], depth + 1);
  const out: JsonSchema = { ...schema };
  if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, deref(doc, v, depth + 1) as JsonSchema]));
  if (schema.items) out.items = deref(doc, schema.items, depth + 1);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) if (schema[key]) out[key] = schema[key].map((s) => deref(doc, s, depth + 1) as JsonSchema);
  return out;
}

/** The schema without its `null` alternative, and whether null is allowed. */
export function unwrap(schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  if (schema.anyOf) {
    const rest = schema.anyOf.filter((s) => s.type !== 'null');
    if (rest.length === 1 && rest.length < schema.anyOf.length) return { schema: rest[0] as JsonSchema, nullable: true };
  }
  return { schema, nullable: false };
}

export function typeOf(schema: JsonSchema): string | undefined {
  const s = unwrap(schema).schema;
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null');
  if (s.type) return s.type;
  if (s.properties) return 'object';
  if (s.enum) return typeof s.enum[0];
  if (s.const !== undefined) return typeof s.const;
  return undefined;
}

/** A string the pattern accepts, the same one every run. */
export function stringMatching(pattern: string, seed = 1): string {
  return fc.sample(fc.stringMatching(new RegExp(pattern)), { seed, numRuns: 1 })[0] as string;
}

/** Every field of a body schema, depth first: its path and its schema. */
export function fieldsOf(schema: JsonSchema, path: (string | number)[] = []): { path: (string | number)[]; schema: JsonSchema; required: boolean }[] {
  const out: { path: (string | number)[]; schema: JsonSchema; required: boolean }[] = [];
  const s = unwrap(schema).schema;
  const object = s.oneOf ? (s.oneOf[0] as JsonSchema) : s;
  for (const [key, child] of Object.entries(object.properties ?? {})) {
    const p = [...path, key];
    out.push({ path: p, schema: child, required: object.required?.includes(key) ?? false });
    const c = unwrap(child).schema;
    if (typeOf(c) === 'object') out.push(...fieldsOf(c, p));
    if (c.items && typeOf(c.items) === 'object') out.push(...fieldsOf(c.items, [...p, 0]));
  }
  return out;
}

export interface ServiceUnderTest {
  name: string;
  svc: Svc;
  doc: { paths: Record<string, Record<string, unknown>>; components?: { schemas?: Record<string, JsonSchema> } };
  writes: ApiRoute[];
  /** GET routes that page by cursor. */
  lists: ApiRoute[];
  /** A token with every scope the service's routes declare, inside 3205 (Suzhou). */
  token(route: ApiRoute): string;
  headers(route: ApiRoute, contentType?: string): Record<string, string>;
  /** The route's URL with existing records in its path (or fresh UUIDs). */
  path(route: ApiRoute, values?: Record<string, string>): Promise<string>;
  /** A body the route should accept, derived from its schema. */
  example(route: ApiRoute): Promise<unknown>;
  /** Row count and checksum of every table in the service's schema. */
  snapshot(): Promise<Record<string, string>>;
  /** Ids of records this helper created, by the collection they were made in (`/v1/aid-bases/:id/reserved-posts`). */
  created: Map<string, string>;
}

function routesOf(name: string, svc: Svc, doc: ServiceUnderTest['doc']): { writes: ApiRoute[]; lists: ApiRoute[] } {
  const writes: ApiRoute[] = [];
  const lists: ApiRoute[] = [];
  for (const entry of svc.app.routeCatalog) {
    if (!entry.url.startsWith('/v1') || !entry.scope || !(WRITE_METHODS.has(entry.method) || entry.method === 'GET')) continue;
    const openapiPath = entry.url.replace(/:(\w+)/g, '{$1}');
    const op = doc.paths[openapiPath]?.[entry.method.toLowerCase()] as
      | { parameters?: { in: string; name: string; schema: JsonSchema; required?: boolean }[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }
      | undefined;
    if (!op) throw new Error(`${name}: ${entry.method} ${entry.url} is not in the OpenAPI document`);
    const params = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: deref(doc, p.schema) as JsonSchema, required: true }));
    const query = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: deref(doc, p.schema) as JsonSchema, required: p.required === true }));
    const content = op.requestBody?.content ?? {};
    const route: ApiRoute = {
      service: name,
      method: entry.method,
      url: entry.url,
      scope: entry.scope,
      params,
      query,
      bodyTypes: Object.keys(content),
      ...(content['application/json'] ? { body: deref(doc, content['application/json'].schema) } : {}),
    };
    if (WRITE_METHODS.has(entry.method)) writes.push(route);
    else if (entry.method === 'GET' && query.some((q) => q.name === 'cursor')) lists.push(route);
  }
  return { writes, lists };
}

/**
 * Builds one service on the real Postgres and Redis and reads its routes.
 * Rate limits are lifted: a catalogue or a fuzzer is one calling system
 * sending thousands of requests.
 */
export async function serviceUnderTest(t: TestLike, name: string, env: Record<string, string> = {}): Promise<ServiceUnderTest> {
  const build = BUILDERS[name] as Builder;
  const svc = (await build(t, { env: { RATE_LIMIT_PER_MINUTE: '10000000', ...env } })) as Svc;
  const doc = (await svc.app.inject({ url: '/docs/json' })).json() as ServiceUnderTest['doc'];
  const { writes, lists } = routesOf(name, svc, doc);
  const scopes = [...new Set([...writes, ...lists].map((r) => r.scope))];
  const allToken = svc.token(scopes, ['3205']);
  const created = new Map<string, string>();
  const pending = new Map<string, Promise<string>>();
  const projected: Record<string, string> = {};

  // Records other services own, projected here the way their events would.
  const projectedSeekers: string[] = [];
  if (name === 'matching') {
    const vacancy = vacancyEvent();
    await deliver(svc.ctx as never, 'vacancy.created', vacancy);
    projected.vacancyId = vacancy.vacancyId;
    // Several seekers: a referral per seeker and vacancy is allowed once.
    for (let i = 0; i < 4; i++) {
      const seeker = seekerEvent();
      await deliver(svc.ctx as never, 'seeker.registered', seeker);
      projectedSeekers.push(seeker.seekerId);
    }
  }
  const projectedVacancies: string[] = [];
  if (name === 'assistance-bases') {
    // Several vacancies: each can carry one reserved post.
    for (let i = 0; i < 4; i++) {
      const vacancy = vacancySnapshot({ communityCode: '320508018036' });
      await applyEvent(svc.ctx.db as never, aidBaseHandlers() as never, {
        id: randomUUID(),
        type: 'vacancy.created',
        version: 1,
        producer: 'job-postings',
        seq: i + 1,
        subject: vacancy.vacancyId,
        occurredAt: new Date().toISOString(),
        payload: vacancy,
      });
      projectedVacancies.push(vacancy.vacancyId);
    }
  }

  const byUrl = (method: string, url: string) => writes.find((r) => r.method === method && r.url === url);

  /** The id of a record in this collection, created through its POST route once. */
  function recordIn(collection: string): Promise<string> {
    let p = pending.get(collection);
    if (!p) {
      p = (async () => {
        const route = byUrl('POST', collection);
        if (!route) return randomUUID();
        const res = await svc.app.inject({ method: 'POST', url: await path(route), headers: headers(route), payload: JSON.stringify(await example(route)) });
        const id = res.statusCode < 300 ? (res.json() as { id?: string }).id : undefined;
        if (!id) throw new Error(`${name}: could not create a record in ${collection} (${res.statusCode} ${res.body.slice(0, 300)})`);
        created.set(collection, id);
        return id;
      })();
      pending.set(collection, p);
    }
    return p;
  }

  const hints: Record<string, Hint> = {
    idNumber: () => makeIdNumber('320508', '1971-04-0' + ((sequence % 9) + 1), 100 + (sequence++ % 800), 'female'),
    phone: () => PII.phone,
    contactPhone: () => PII.phone,
    communityCode: () => (name === 'assistance-bases' ? '320508018036' : COMMUNITY),
    communityCodes: () => [COMMUNITY],
    regionCode: () => '3205',
    creditCode: () => creditCode(),
    householdId: () => OMIT,
    relationship: () => OMIT,
    // The default of the person's gender (the bodies' identity numbers are men's and women's).
    retirementScheme: () => OMIT,
    // Links name other members of a household, which the example joins none of.
    spouseId: () => OMIT,
    parentIds: () => OMIT,
    employerName: () => OMIT,
    // A seeker is registered unemployed: the change that can follow.
    status: () => 'employed',
    sampleId: () => OMIT,
    fraction: () => OMIT,
    url: () => 'https://hooks.example.org/reemploy',
    unemployedSince: () => inDays(-40).toISOString().slice(0, 10),
    validUntil: () => inDays(30).toISOString(),
    date: () => inDays(14).toISOString().slice(0, 10),
    at: () => new Date(Date.now() - 60_000).toISOString(),
    employerId: () => recordIn('/v1/employers'),
    seekerId: () => projectedSeekers[sequence++ % Math.max(1, projectedSeekers.length)] ?? OMIT,
    occupationCode: () => '4-07-01',
    skills: () => ['S010-01'],
    desiredOccupations: () => ['4-07-01'],
    startsAt: () => '09:00',
    endsAt: () => '16:00',
    vacancyId: () =>
      projectedVacancies.length ? projectedVacancies[sequence++ % projectedVacancies.length] : (projected.vacancyId ?? (name === 'job-postings' ? recordIn('/v1/vacancies') : OMIT)),
    vacancyIds: async () => [await recordIn('/v1/vacancies')],
    // Another vacancy than the one in the path.
    duplicateId: async () => {
      const route = byUrl('POST', '/v1/vacancies') as ApiRoute;
      const res = await svc.app.inject({ method: 'POST', url: '/v1/vacancies', headers: headers(route), payload: JSON.stringify(await example(route)) });
      return (res.json() as { id: string }).id;
    },
  };

  async function valueFor(schema: JsonSchema, key: string | undefined, route: ApiRoute, depth = 0): Promise<unknown> {
    const hint = key ? hints[key] : undefined;
    if (hint) return hint(route);
    const s = unwrap(schema).schema;
    if (s.const !== undefined) return s.const;
    // Free text is made unique: creates refuse a second record with the same name or title.
    if (typeof s.example === 'string' && !s.pattern && !s.format) return `${s.example}${(sequence++).toString(36)}`.slice(0, s.maxLength ?? 100);
    if (s.example !== undefined) return s.example;
    if (s.enum) return s.enum[0];
    if (s.oneOf) return valueFor(s.oneOf[0] as JsonSchema, undefined, route, depth + 1);
    if (s.anyOf) return valueFor(s.anyOf[0] as JsonSchema, undefined, route, depth + 1);
    const type = typeOf(s);
    if (type === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, child] of Object.entries(s.properties ?? {})) {
        const v = await valueFor(child, k, route, depth + 1);
        if (v !== OMIT) out[k] = v;
      }
      return out;
    }
    if (s.default !== undefined && !(Array.isArray(s.default) && s.default.length === 0)) return s.default;
    if (type === 'array') {
      const item = await valueFor(s.items ?? {}, undefined, route, depth + 1);
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => item);
    }
    if (type === 'integer' || type === 'number') {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (type === 'integer' ? 1 : 0.5) : 0);
      const max = s.maximum ?? min + 100;
      return Math.min(max, Math.max(min, 1));
    }
    if (type === 'boolean') return true;
    if (type === 'string') {
      if (s.format === 'uuid') return randomUUID();
      if (s.format === 'date') return '2026-01-15';
      if (s.format === 'date-time') return new Date(Date.now() - 60_000).toISOString();
      if (s.pattern) return stringMatching(s.pattern);
      const len = Math.max(s.minLength ?? 1, Math.min(s.maxLength ?? 20, 16));
      return `社区服务记录${(sequence++).toString(36)}`.padEnd(len, '好').slice(0, Math.max(len, 1));
    }
    return null;
  }

  async function example(route: ApiRoute): Promise<unknown> {
    if (!route.body) return undefined;
    const body = await valueFor(route.body, undefined, route);
    // An outcome is dated when it is recorded unless said otherwise; a time made up now may predate
    // the referral its path makes afterwards, and an outcome before its referral is refused.
    // And only a rejection or a decline takes a reason (a code from its list).
    if (/\/outcome$/.test(route.url) && body && typeof body === 'object') {
      const outcome = body as Record<string, unknown>;
      delete outcome.at;
      if (outcome.outcome !== 'rejected' && outcome.outcome !== 'declined') delete outcome.reason;
    }
    return body;
  }

  /** `/v1/aid-bases/:id/reserved-posts/:postId` → the id of a post in a base this helper made. */
  async function path(route: ApiRoute, values: Record<string, string> = {}): Promise<string> {
    let url = '';
    // The same path in Fastify's form: the collection a record is made in.
    let template = '';
    for (const part of route.url.split('/').slice(1)) {
      const collection = template;
      template += `/${part}`;
      if (!part.startsWith(':')) {
        url += `/${part}`;
        continue;
      }
      const key = part.slice(1);
      const param = route.params.find((p) => p.name === key);
      let value = values[key];
      if (value === undefined) {
        const s = param ? unwrap(param.schema).schema : {};
        if (s.enum) value = String(s.enum[0]);
        else if (s.format === 'uuid' || !s.pattern) value = byUrl('POST', collection) ? await recordIn(collection) : randomUUID();
        else value = key === 'code' ? COMMUNITY : stringMatching(s.pattern);
      }
      url += `/${encodeURIComponent(value)}`;
    }
    const required = route.query.filter((q) => q.required);
    if (required.length) {
      const pairs = await Promise.all(required.map(async (q) => `${q.name}=${encodeURIComponent(String(await valueFor(q.schema, q.name, route)))}`));
      url += `?${pairs.join('&')}`;
    }
    return url;
  }

  // One calling system holding every scope the routes declare (each route is still checked for its own).
  function token(_route: ApiRoute): string {
    return allToken;
  }

  function headers(route: ApiRoute, contentType = 'application/json'): Record<string, string> {
    return {
      authorization: `Bearer ${token(route)}`,
      'content-type': contentType,
      // Changes to a record that exists are made under If-Match (creates in a collection are not).
      ...(route.params.length && route.method !== 'GET' ? { 'if-match': '*' } : {}),
    };
  }

  const { rows: tables } = await svc.ctx.database.pool.query<{ name: string }>(
    `select table_name as name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' order by 1`,
    [svc.ctx.database.schema],
  );
  /** Each table's row count and a checksum of its rows: an insert, a delete or an update shows. */
  async function snapshot(): Promise<Record<string, string>> {
    if (!tables.length) return {};
    const schema = svc.ctx.database.schema;
    const sql = tables
      .map((t) => `select '${t.name}' as name, count(*) || ' rows, ' || coalesce(md5(string_agg(x::text, '|' order by x::text)), '-') as state from "${schema}"."${t.name}" x`)
      .join(' union all ');
    const { rows } = await svc.ctx.database.pool.query<{ name: string; state: string }>(sql);
    return Object.fromEntries(rows.map((r) => [r.name, r.state]));
  }

  return { name, svc, doc, writes, lists, token, headers, path, example, snapshot, created };
}

/** JSON text in which `RawJson` values are written as they are (numbers beyond 2^53, 1e400). */
export class RawJson {
  constructor(readonly text: string) {}
}

export function toJson(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `\u0000raw${raws.length - 1}\u0000`;
    }
    return v;
  });
  return text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_m, i: string) => raws[Number(i)] as string);
}

/** Sets a value deep in a copy of the body; `undefined` deletes the key. */
export function setAt(body: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let node = copy as Record<string | number, unknown>;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) {
      if (value === undefined) delete node[key];
      else node[key] = value;
      break;
    }
    if (node[key] === undefined || node[key] === null || typeof node[key] !== 'object') node[key] = typeof path[i + 1] === 'number' ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  }
  return copy;
}

/** `body.skills[0]` and `body.skills.0` name the same field. */
export function normaliseField(field: string): string {
  return field.replace(/\[(\d+)\]/g, '.$1');
}

export interface Sent {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
}

/** What every refusal must look like; returns the faults found (empty when fine). */
export function refusalFaults(res: Sent, expectField?: string, statuses?: number[]): string[] {
  const faults: string[] = [];
  if (res.statusCode >= 500) faults.push(`answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
  else if (res.statusCode < 400) faults.push(`accepted with ${res.statusCode}`);
  if (statuses && !statuses.includes(res.statusCode)) faults.push(`status ${res.statusCode}, expected ${statuses.join('/')}`);
  if (res.statusCode >= 400 && !String(res.headers['content-type'] ?? '').startsWith('application/problem+json')) faults.push(`content-type ${String(res.headers['content-type'])}`);
  if (res.body.includes(PII.idNumber)) faults.push('echoes the identity number');
  if (res.body.includes(PII.phone)) faults.push('echoes the phone number');
  if (expectField && res.statusCode >= 400 && res.statusCode < 500) {
    let fields: string[] = [];
    try {
      fields = ((JSON.parse(res.body) as { errors?: { field: string }[] }).errors ?? []).map((e) => normaliseField(e.field));
    } catch {
      /* not JSON: reported above */
    }
    if (!fields.some((f) => f === expectField || f.startsWith(`${expectField}.`))) faults.push(`does not name ${expectField} (names ${fields.join(', ') || 'nothing'})`);
  }
  return faults;
}
