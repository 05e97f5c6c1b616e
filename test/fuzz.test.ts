/**
 * A schema-driven fuzzer: for every write route of every service (from the
 * route catalogues and OpenAPI documents), fast-check makes requests from the
 * route's own schema — mostly valid, some perturbed, some hostile — and sends
 * them through `inject`. No answer may be a 5xx, and every 4xx is a problem.
 *
 * FUZZ_SEED varies the seed (fixed by default, so CI is repeatable);
 * FUZZ_REQUESTS sets the requests per route (1,000 by default).
 */
import t from 'tap';
import fc from 'fast-check';
import { makeIdNumber } from '@reemploy/domain';
import { makeCreditCode } from '@reemploy/domain/credit-code';
import { PII, RawJson, fieldsOf, serviceUnderTest, toJson, typeOf, unwrap, type ApiRoute, type JsonSchema, type ServiceUnderTest } from './support/api-routes.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 8_2026_1129);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 1000);
/** Requests sent together in one property run (the routes of a service run side by side too). */
const BATCH = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Some 30,000 requests through four services: 90 s when the machine is quick, 135 s in its slow
// hours, beyond the suite's 120 s per file. This file alone may take up to 5 minutes.
t.setTimeout(300_000);

/** Values of any kind that a field should refuse (or, by chance, accept). */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, -0.5, '', ' ', 'x', [], {}, [null], { '': 1 }, 'null', 'true', '0'),
  fc.constantFrom(new RawJson('9007199254740993'), new RawJson('-9007199254740993'), new RawJson('1e400'), new RawJson('1e-400'), new RawJson('123456789012345678901234567890')),
  fc.constantFrom('2026-02-30', '2026-02-29', '0000-00-00', '2026-13-01', '2026-01-15T25:61:00Z', '9999-12-31T23:59:59Z', '0001-01-01', '1970-01-01T00:00:00+14:01'),
  fc.constantFrom('not-a-uuid', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', "' OR 1=1 --", '../../etc/passwd', '%00', '\\u0000'),
  fc.string({ maxLength: 40 }).map((s) => `${s}\u0000`),
  fc.string({ maxLength: 40 }).map((s) => `\ud800${s}`),
  fc.string({ maxLength: 40 }).map((s) => `${s}\u001b[0m`),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.integer({ min: 1, max: 6000 }).map((n) => '長'.repeat(n)),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Fields whose valid values have rules no schema says (check characters): made by the domain's own functions. */
const SEMANTIC: Record<string, fc.Arbitrary<unknown>> = {
  idNumber: fc
    .tuple(fc.date({ min: new Date('1940-01-01'), max: new Date('2009-12-31'), noInvalidDate: true }), fc.integer({ min: 0, max: 999 }), fc.constantFrom<'male' | 'female'>('male', 'female'))
    .map(([birth, seq, gender]) => makeIdNumber('320508', birth.toISOString().slice(0, 10), seq, gender)),
  phone: fc.stringMatching(/^1[3-9]\d{9}$/),
  contactPhone: fc.stringMatching(/^1[3-9]\d{9}$/),
  creditCode: fc.stringMatching(/^[0-9A-HJ-NPQRTUWXY]{9}$/).map((body) => makeCreditCode(`91320508${body}`)),
  communityCode: fc.constantFrom('320508024043', '320508018036', '320506001001', '320505001001'),
};

/** Values the schema allows, with the route's known-good value (real ids, real codes) among them. */
function allowed(schema: JsonSchema, good: unknown, ids: string[], key?: string): fc.Arbitrary<unknown> {
  const { schema: s, nullable } = unwrap(schema);
  const options: fc.Arbitrary<unknown>[] = [];
  if (key && SEMANTIC[key]) options.push(SEMANTIC[key], SEMANTIC[key]);
  if (good !== undefined) options.push(fc.constant(good), fc.constant(good));
  if (nullable) options.push(fc.constant(null));
  const type = typeOf(s);
  if (s.const !== undefined) options.push(fc.constant(s.const));
  else if (s.enum) options.push(fc.constantFrom(...s.enum));
  else if (s.oneOf) options.push(...s.oneOf.map((branch) => allowed(branch, undefined, ids)));
  else if (type === 'string') {
    if (s.format === 'uuid') options.push(ids.length ? fc.constantFrom(...ids) : fc.uuid(), fc.uuid());
    else if (s.format === 'date') options.push(fc.date({ min: new Date('1950-01-01'), max: new Date('2060-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
    else if (s.format === 'date-time') options.push(fc.date({ min: new Date('1950-01-01'), max: new Date('2060-12-31'), noInvalidDate: true }).map((d) => d.toISOString()));
    else if (s.pattern) options.push(fc.stringMatching(new RegExp(s.pattern)));
    else options.push(fc.string({ unit: 'grapheme', minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 60, 60) }));
    if (s.maxLength && !s.pattern && !s.format) options.push(fc.constant('字'.repeat(s.maxLength)));
  } else if (type === 'integer') {
    const min = s.minimum ?? -1_000_000;
    const max = s.maximum ?? 1_000_000;
    options.push(fc.integer({ min, max }), fc.constantFrom(min, max));
  } else if (type === 'number') {
    const min = s.minimum ?? s.exclusiveMinimum ?? -1e9;
    const max = s.maximum ?? 1e12;
    options.push(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).filter((n) => s.exclusiveMinimum === undefined || n > s.exclusiveMinimum));
  } else if (type === 'boolean') options.push(fc.boolean());
  else if (type === 'array') {
    const items = s.items ?? {};
    const goodItem = Array.isArray(good) ? good[0] : undefined;
    options.push(fc.array(allowed(items, goodItem, ids), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 5, 5) }));
  } else if (type === 'object') options.push(objectOf(s, (good ?? {}) as Record<string, unknown>, ids));
  return fc.oneof(...options);
}

function objectOf(s: JsonSchema, good: Record<string, unknown>, ids: string[]): fc.Arbitrary<Record<string, unknown>> {
  const object = s.oneOf ? (s.oneOf[0] as JsonSchema) : s;
  const props = Object.fromEntries(Object.entries(object.properties ?? {}).map(([k, child]) => [k, allowed(child, good[k], ids, k)]));
  // Optional fields come and go; required ones are there (a perturbation may remove them).
  return fc.record(props, { requiredKeys: object.required?.filter((k) => k in props) ?? [] }) as fc.Arbitrary<Record<string, unknown>>;
}

/** A body from the schema, then: nothing changed, or a few fields made hostile, removed or added. */
function bodyOf(route: ApiRoute, good: Record<string, unknown>, ids: string[]): fc.Arbitrary<unknown> {
  const schema = route.body as JsonSchema;
  const fields = fieldsOf(schema).filter((f) => !f.path.includes(0));
  const base = typeOf(schema) === 'object' ? objectOf(schema, good, ids) : allowed(schema, undefined, ids);
  const mutation = fc.record({
    path: fields.length ? fc.constantFrom(...fields.map((f) => f.path)) : fc.constant<(string | number)[]>(['extra']),
    value: fc.oneof({ weight: 5, arbitrary: hostile }, { weight: 1, arbitrary: fc.constant(undefined) }),
  });
  return fc
    .tuple(
      fc.oneof({ weight: 3, arbitrary: fc.constant(good) }, { weight: 4, arbitrary: base }),
      fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 5, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }) }),
      fc.option(fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }), { freq: 8 }),
    )
    .map(([body, mutations, extra]) => {
      if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
      let out = structuredClone(body) as Record<string, unknown>;
      for (const m of mutations) out = setPath(out, m.path, m.value);
      return extra ? { ...out, ...extra } : out;
    });
}

function setPath(body: Record<string, unknown>, path: (string | number)[], value: unknown): Record<string, unknown> {
  let node: Record<string | number, unknown> = body;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) {
      if (value === undefined) delete node[key];
      else node[key] = value;
    } else {
      if (!node[key] || typeof node[key] !== 'object') node[key] = {};
      node = node[key] as Record<string | number, unknown>;
    }
  }
  return body;
}

/** How the JSON text and headers around the body are sent: mostly as they should be. */
const envelope = fc.oneof(
  { weight: 40, arbitrary: fc.constant('plain' as const) },
  { weight: 1, arbitrary: fc.constantFrom('truncated', 'proto', 'constructor', 'text/plain', 'no-type', 'duplicate-key', 'array', 'bom') },
);

function encode(body: unknown, how: string): { payload: string; contentType?: string } {
  const json = toJson(body);
  switch (how) {
    case 'truncated':
      return { payload: json.slice(0, Math.max(0, json.length - 2)) };
    case 'proto':
      return { payload: json.replace(/^{/, '{"__proto__":{"polluted":1},') };
    case 'constructor':
      return { payload: json.replace(/^{/, '{"constructor":{"prototype":{"polluted":1}},') };
    case 'text/plain':
      return { payload: json, contentType: 'text/plain' };
    case 'no-type':
      return { payload: json, contentType: '' };
    case 'duplicate-key':
      return { payload: json.replace(/^{"(\w+)":/, '{"$1":"dup","$1":') };
    case 'array':
      return { payload: `[${json}]` };
    case 'bom':
      return { payload: `\ufeff${json}` };
    default:
      return { payload: json };
  }
}

/** NDJSON or CSV uploads: rows from the create route's schema, perturbed, or plain garbage. */
function uploadOf(route: ApiRoute, row: fc.Arbitrary<unknown> | undefined): fc.Arbitrary<{ payload: string; contentType: string }> {
  const types = route.bodyTypes;
  const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }));
  const rows = row ? fc.array(row, { minLength: 1, maxLength: 4 }) : fc.constant([]);
  // A generated key "__proto__" can give a value a prototype that leads back to itself: such a row is written as a string.
  const json = (v: unknown) => {
    try {
      return toJson(v);
    } catch {
      return JSON.stringify(String(v));
    }
  };
  return fc.tuple(fc.constantFrom(...types), rows, text, fc.boolean()).map(([type, items, garbage, useGarbage]) => {
    if (useGarbage || !items.length) return { payload: garbage, contentType: type };
    if (type.includes('json')) return { payload: items.map((r) => json(r)).join('\n'), contentType: type };
    const keys = Object.keys(items.find((r) => r && typeof r === 'object') ?? { a: 1 });
    const cell = (v: unknown) => `"${(Array.isArray(v) ? v.join(';') : v && typeof v === 'object' ? json(v) : String(v ?? '')).replaceAll('"', '""')}"`;
    const lines = [keys.join(','), ...items.map((r) => keys.map((k) => cell(r && typeof r === 'object' ? (r as Record<string, unknown>)[k] : r)).join(','))];
    return { payload: lines.join('\r\n'), contentType: type };
  });
}

interface Request {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

async function requestsFor(s: ServiceUnderTest, route: ApiRoute): Promise<fc.Arbitrary<Request>> {
  const url = await s.path(route);
  const good = ((await s.example(route)) ?? {}) as Record<string, unknown>;
  const ids = [...new Set([...s.created.values(), ...JSON.stringify(good).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi) ?? []])].filter((id) => UUID.test(id));
  // Path parameters: the records that exist, other UUIDs, or anything at all.
  const segments = url.split('?')[0]!.split('/');
  const paramAt = route.url.split('/').map((part, i) => (part.startsWith(':') ? i : -1)).filter((i) => i >= 0);
  const pathArb = fc.tuple(
    ...paramAt.map((i) =>
      fc.oneof(
        { weight: 12, arbitrary: fc.constant(segments[i] as string) },
        { weight: 3, arbitrary: fc.uuid().map(String) },
        { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent) },
        { weight: 1, arbitrary: fc.constantFrom('%E0%A4%A', '%00', 'a'.repeat(250), '..', encodeURIComponent(PII.idNumber)) },
      ),
    ),
  ).map((values) => {
    const parts = [...segments];
    paramAt.forEach((i, n) => (parts[i] = values[n] as string));
    return parts.join('/') + (url.includes('?') ? `?${url.split('?')[1]}` : '');
  });
  const ifMatch = fc.oneof({ weight: 8, arbitrary: fc.constant('*') }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.string({ maxLength: 30 }) });
  const auth = { authorization: `Bearer ${s.token(route)}` };
  // Changes to a record that exists are made under If-Match.
  const needsIfMatch = route.params.length > 0;

  let body: fc.Arbitrary<{ payload?: string; contentType?: string }>;
  if (route.body && typeOf(route.body) !== 'string') {
    body = fc.tuple(bodyOf(route, good, ids), envelope).map(([b, how]) => encode(b, how));
  } else if (route.bodyTypes.length) {
    const create = s.writes.find((r) => r.method === 'POST' && r.url === route.url.replace(/\/import$/, ''));
    const row = create?.body ? bodyOf(create, ((await s.example(create)) ?? {}) as Record<string, unknown>, ids) : undefined;
    body = uploadOf(route, row);
  } else body = fc.constant({});

  return fc.tuple(pathArb, body, ifMatch).map(([path, b, tag]) => {
    const headers: Record<string, string> = { ...auth };
    if (b.payload !== undefined && b.contentType !== '') headers['content-type'] = b.contentType ?? 'application/json';
    if (needsIfMatch && tag !== undefined) headers['if-match'] = tag;
    return { method: route.method, url: path, headers, ...(b.payload !== undefined ? { payload: b.payload } : {}) };
  });
}

function faultOf(res: { statusCode: number; headers: Record<string, unknown>; body: string }): string | undefined {
  if (res.statusCode >= 500) return `${res.statusCode}: ${res.body.slice(0, 300)}`;
  if (res.statusCode >= 400) {
    if (!String(res.headers['content-type']).startsWith('application/problem+json')) return `${res.statusCode} as ${String(res.headers['content-type'])}`;
    try {
      const problem = JSON.parse(res.body) as { status?: number; code?: string };
      if (problem.status !== res.statusCode || !problem.code) return `${res.statusCode} with a problem that says ${problem.status}/${problem.code}`;
    } catch {
      return `${res.statusCode} with a body that is not JSON`;
    }
  }
  return undefined;
}

/**
 * At most this many requests of a service in flight: the routes run side by
 * side, but more than the pool has connections would only time out waiting
 * for one (a 503 by design, and no finding).
 */
const IN_FLIGHT = 6;

function limiter(max: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

const totals = { routes: 0, requests: 0, statuses: new Map<number, number>() };
const started = Date.now();

// FUZZ_SERVICE=matching fuzzes one service only (while chasing a fault).
const services = ['registration', 'job-postings', 'matching', 'assistance-bases'].filter((n) => !process.env.FUZZ_SERVICE || n === process.env.FUZZ_SERVICE);

for (const name of services) {
  t.test(`${name}: ${REQUESTS} fuzzed requests per write route, no 5xx, every 4xx a problem`, async (t) => {
    const s = await serviceUnderTest(t, name, { DB_POOL_MAX: '8' });
    // Records for the paths, made before the routes run side by side.
    for (const route of s.writes) await s.path(route);
    const limit = limiter(IN_FLIGHT);
    const results = await Promise.all(
      s.writes.map(async (route, index) => {
        const arb = fc.array(await requestsFor(s, route), { minLength: BATCH, maxLength: BATCH });
        let sent = 0;
        const statuses = new Map<number, number>();
        let failure: string | undefined;
        let firstFault: string | undefined;
        try {
          await fc.assert(
            fc.asyncProperty(arb, async (batch) => {
              const answers = await Promise.all(batch.map((r) => limit(() => s.svc.app.inject(r as never))));
              sent += answers.length;
              answers.forEach((a) => statuses.set(a.statusCode, (statuses.get(a.statusCode) ?? 0) + 1));
              const faults = answers.map((a, i) => [faultOf(a), batch[i] as Request] as const).filter(([f]) => f);
              if (faults.length) {
                const [fault, req] = faults[0]!;
                firstFault ??= `${fault}\n  request: ${req.method} ${req.url} ${JSON.stringify({ ...req.headers, authorization: undefined })} ${(req.payload ?? '').slice(0, 1500)}`;
                throw new Error(`${fault}\n  request: ${req.method} ${req.url} ${JSON.stringify(req.headers)} ${(req.payload ?? '').slice(0, 500)}`);
              }
            }),
            { seed: SEED + index, numRuns: Math.ceil(REQUESTS / BATCH), endOnFailure: true },
          );
        } catch (err) {
          // The fault and its request first; the whole counterexample batch is long.
          failure = `${firstFault ?? ''}\n${(err as Error).message.slice(0, 300)}`;
        }
        return { route, sent, statuses, failure };
      }),
    );
    for (const { route, sent, statuses, failure } of results) {
      totals.routes++;
      totals.requests += sent;
      for (const [code, n] of statuses) totals.statuses.set(code, (totals.statuses.get(code) ?? 0) + n);
      const summary = [...statuses].sort(([a], [b]) => a - b).map(([code, n]) => `${code}×${n}`).join(' ');
      t.notOk(failure, `${route.method} ${route.url}: ${sent} requests (${summary})${failure ? `\n${failure}` : ''}`);
      if (!failure) t.ok(sent >= REQUESTS, `${route.method} ${route.url}: at least ${REQUESTS} requests sent`);
    }
  });
}

t.test('found by the fuzzer: changes to a household and to its members at the same time do not deadlock', { skip: services.includes('registration') ? false : 'registration not fuzzed' }, async (t) => {
  const s = await serviceUnderTest(t, 'registration', { DB_POOL_MAX: '8' });
  const route = (method: string, url: string) => s.writes.find((r) => r.method === method && r.url === url) as ApiRoute;
  const household = await s.path(route('PATCH', '/v1/households/:id'));
  const householdId = household.split('/').pop() as string;
  const create = route('POST', '/v1/job-seekers');
  const seekers: string[] = [];
  for (const [i, relationship] of (['head', 'spouse', 'child'] as const).entries()) {
    const body = { ...((await s.example(create)) as object), idNumber: makeIdNumber('320508', `1970-0${i + 1}-15`, 400 + i, 'male'), householdId, relationship };
    const res = await s.svc.app.inject({ method: 'POST', url: '/v1/job-seekers', headers: s.headers(create), payload: JSON.stringify(body) });
    t.equal(res.statusCode, 201, res.body);
    seekers.push((res.json() as { id: string }).id);
  }
  const requests = Array.from({ length: 15 }, (_, i) => {
    const seeker = seekers[i % seekers.length] as string;
    return [
      { method: 'PATCH', url: household, headers: s.headers(route('PATCH', '/v1/households/:id')), payload: JSON.stringify({ singleParent: i % 2 === 0, otherEmployedMembers: i % 3 }) },
      { method: 'PATCH', url: `/v1/job-seekers/${seeker}`, headers: s.headers(route('PATCH', '/v1/job-seekers/:id')), payload: JSON.stringify({ laidOff: i % 2 === 0 }) },
      {
        method: 'POST',
        url: `/v1/job-seekers/${seeker}/employment`,
        headers: s.headers(route('POST', '/v1/job-seekers/:id/employment')),
        payload: JSON.stringify({ status: ['employed', 'unemployed', 'flexible'][i % 3], at: new Date(Date.now() - 60_000 + i * 1000).toISOString() }),
      },
    ];
  }).flat();
  const answers = await Promise.all(requests.map((r) => s.svc.app.inject(r as never)));
  const statuses = answers.map((a) => a.statusCode);
  t.ok(statuses.every((c) => c < 500), `no 5xx among ${statuses.length} concurrent changes (${[...new Set(statuses)].sort().join(', ')})`);
  t.ok(statuses.filter((c) => c < 300).length >= 30, 'the changes were made');
});

t.test('totals', async (t) => {
  const statuses = [...totals.statuses].sort(([a], [b]) => a - b).map(([code, n]) => `${code}×${n}`).join(' ');
  t.comment(`seed ${SEED}: ${totals.routes} routes, ${totals.requests} requests in ${((Date.now() - started) / 1000).toFixed(1)} s (${statuses})`);
  if (!process.env.FUZZ_SERVICE) t.ok(totals.routes >= 30, `${totals.routes} write routes fuzzed`);
  // Most requests must get past validation somewhere, or the fuzzer only tests the schema checks.
  const accepted = [...totals.statuses].filter(([code]) => code < 300).reduce((n, [, c]) => n + c, 0);
  t.ok(accepted > totals.requests * 0.05, `${accepted} of ${totals.requests} requests accepted`);
});
