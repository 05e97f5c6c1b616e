/**
 * A schema-driven fuzzer: for every write route of every service (from the
 * route catalogues and OpenAPI documents), fast-check makes requests from the
 * route's own schema — mostly valid, some perturbed, some hostile — and sends
 * them through `inject`. No answer may be a 5xx, and every 4xx is a problem.
 *
 * test/fuzz/ runs it: registration in one file, the other services in another, so
 * the two halves run side by side.
 *
 * FUZZ_SEED varies the seed (fixed by default, so CI is repeatable);
 * FUZZ_REQUESTS sets the requests per route (1,000 by default).
 */
import t from 'tap';
import fc from 'fast-check';
import { makeIdNumber } from '@reemploy/domain';
import { PII, serviceUnderTest, typeOf, type ApiRoute, type ServiceUnderTest } from './api-routes.ts';
import { bodyOf, encode, envelope, uploadOf } from './fuzz-bodies.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 8_2026_1129);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 1000);
/** Requests sent together in one property run (the routes of a service run side by side too). */
const BATCH = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

/**
 * Registers the fuzzer's tests for `names` (FUZZ_SERVICE keeps one of them, while chasing a
 * fault), and a last test that at least `minRoutes` write routes were fuzzed and more than
 * `minAccepted` of the requests got past validation (a share: most fuzzed bodies are refused).
 */
export function fuzzServices(names: string[], { minRoutes, minAccepted }: { minRoutes: number; minAccepted: number }) {
  // FUZZ_SERVICE=matching fuzzes one service only (while chasing a fault).
  const services = names.filter((n) => !process.env.FUZZ_SERVICE || n === process.env.FUZZ_SERVICE);
  const totals = { routes: 0, requests: 0, statuses: new Map<number, number>() };
  const started = Date.now();


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

  if (names.includes('registration')) t.test('found by the fuzzer: changes to a household and to its members at the same time do not deadlock', { skip: services.includes('registration') ? false : 'registration not fuzzed' }, async (t) => {
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
    if (!process.env.FUZZ_SERVICE) t.ok(totals.routes >= minRoutes, `${totals.routes} write routes fuzzed`);
    // Most requests must get past validation somewhere, or the fuzzer only tests the schema checks.
    const accepted = [...totals.statuses].filter(([code]) => code < 300).reduce((n, [, c]) => n + c, 0);
    t.ok(accepted > totals.requests * minAccepted, `${accepted} of ${totals.requests} requests accepted`);
  });
}
