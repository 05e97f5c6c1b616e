/**
 * Issue #18, finding 1: without `pii:read`, nothing a caller reads lets it
 * rebuild an identity number or phone (SPEC §6). A small city is made in all
 * four services (regions-fixture.ts: households, seekers with phones, employers
 * with contact phones, vacancies, fairs, aid bases and reserved posts, referrals
 * and a hire, matching runs, escalations, assessments, samples and a phone
 * survey), with webhook subscriptions so their lists hold something too. Then a
 * caller holding every scope but `pii:read` calls every GET route of every
 * service's route catalogue, with every record of the kind its path takes,
 * every format it offers (JSON, CSV, XLSX) and every page, and each answer is
 * searched with piiLeaks (test/support/pii-leaks.ts) for the city's identity
 * numbers and phones. A route added later is walked without touching this file;
 * one whose parameters it cannot fill, or that shows nothing, fails it.
 */
import t from 'tap';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RouteAccess } from '@reemploy/http-kit';
import { eventually } from '@reemploy/runtime/testing';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_PRODUCER } from '@reemploy/webhooks';
import { buildCity, call, cityPii, COMMUNITIES, FIXED_PARAMS, PARAM_KIND, type City } from './regions-fixture.ts';
import { describeLeaks, piiLeaks, workbookCells } from './support/pii-leaks.ts';

type ServiceName = keyof City['services'];

interface QueryParam {
  in: string;
  name: string;
  required?: boolean;
  schema?: { pattern?: string; enum?: string[]; maximum?: number; anyOf?: { enum?: string[] }[] };
}
interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: QueryParam[] }>>;
}

// Webhook deliveries need somewhere to go: a receiver (on loopback, a development setting) that keeps every body.
const delivered: { type: string; body: unknown }[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    delivered.push({ type: String(req.headers['reemploy-event-type']), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
    res.writeHead(204).end();
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
t.teardown(() => new Promise<void>((r) => receiver.close(() => r())));
const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const city = await buildCity(
  { after: (fn) => t.teardown(fn) },
  {
    async beforeSeeding(services) {
      for (const [name, svc] of Object.entries(services)) {
        const eventTypes = WEBHOOK_EVENT_TYPES.filter((type) => WEBHOOK_PRODUCER[type] === name);
        if (!eventTypes.length) continue;
        const res = await call(svc.app, 'POST', '/v1/webhooks/subscriptions', svc.token(['webhooks:manage', 'seekers:read', 'matching:read']), { url: hookUrl, secret: 'a-secret-of-the-pii-walk', eventTypes });
        if (res.statusCode !== 201) throw new Error(`${name}: subscription ${res.statusCode} ${res.body}`);
      }
    },
    env: { WEBHOOK_ALLOW_LOOPBACK: 'true' },
  },
);
const names = Object.keys(city.services) as ServiceName[];

/** Lists that stay empty by design: matching and the aid bases show no personal information, so they audit no reads of it. */
const EMPTY_BY_DESIGN = new Set(['matching GET /v1/audit/pii-access', 'assistance-bases GET /v1/audit/pii-access']);

/** A required query parameter's value: the city's period, its year, a region, a search. */
function requiredValue(p: QueryParam): string | undefined {
  if (p.name === 'period') return city.period;
  if (p.name === 'year') return city.period.slice(0, 4);
  if (['region', 'regionCode', 'communityCode', 'within'].includes(p.name)) return p.schema?.pattern && !new RegExp(p.schema.pattern).test('3205') ? COMMUNITIES[0] : '3205';
  if (p.name === 'q') return '苏';
  return undefined;
}

const enumOf = (p: QueryParam) => p.schema?.enum ?? p.schema?.anyOf?.find((s) => s.enum)?.enum;

/** Every URL to call for a route: each record its path takes, each format it offers, the longest page it allows. */
function urlsFor(route: RouteAccess, doc: OpenApiDoc): string[] | string {
  const op = doc.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.get;
  const query = (op?.parameters ?? []).filter((p) => p.in === 'query');
  const fixed: Record<string, string> = {};
  for (const p of query.filter((q) => q.required)) {
    const value = requiredValue(p);
    if (value === undefined) return `cannot fill the required query parameter ${p.name}`;
    fixed[p.name] = value;
  }
  const limit = query.find((q) => q.name === 'limit');
  if (limit) fixed.limit = String(Math.min(limit.schema?.maximum ?? 100, 500));
  const formats = enumOf(query.find((q) => q.name === 'format') ?? { in: 'query', name: 'format' }) ?? [undefined];
  const queries = formats.map((format) => `?${new URLSearchParams({ ...fixed, ...(format ? { format } : {}) }).toString()}`);

  const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  let paths: string[];
  if (!params.length) paths = [route.url];
  else if (FIXED_PARAMS[route.url]) paths = FIXED_PARAMS[route.url]!.map((v) => route.url.replace(/:\w+/, v));
  else if (route.url.startsWith('/v1/assessments/communities/')) paths = COMMUNITIES.map((c) => route.url.replace(':code', c));
  else if (params.join() === 'id,postId') {
    paths = city.records.filter((r) => r.kind === 'reserved-post').map((r) => route.url.replace(':id', r.parentId!).replace(':postId', r.id));
  } else if (params.length === 1) {
    const segments = route.url.split('/');
    const kind = PARAM_KIND[segments[segments.indexOf(`:${params[0]}`) - 1] ?? ''];
    if (!kind) return `cannot fill the path parameter ${params[0]}`;
    paths = city.records.filter((r) => r.kind === kind).map((r) => route.url.replace(`:${params[0]}`, r.id));
  } else return `cannot fill the path parameters ${params.join(', ')}`;
  return paths.flatMap((p) => queries.map((q) => (q === '?' ? p : p + q)));
}

/** What an answer shows, as piiLeaks reads it: JSON parsed, CSV as text, a workbook's cells. */
async function shown(res: Awaited<ReturnType<typeof call>>): Promise<unknown> {
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('json')) return res.json();
  if (type.includes('spreadsheetml')) return workbookCells(res.rawPayload);
  return res.body;
}

t.test('without pii:read, no GET route of any service shows anything from which an identity number or phone can be rebuilt', async (t) => {
  const known = await cityPii(city);
  t.ok(known.idNumbers.length >= COMMUNITIES.length * 2, `${known.idNumbers.length} identity numbers known`);
  t.ok(known.phones.length >= COMMUNITIES.length * 3, `${known.phones.length} phones known`);

  const leaks: string[] = [];
  const unfilled: string[] = [];
  for (const name of names) {
    const svc = city.services[name];
    const doc = (await svc.app.inject({ url: '/docs/json' })).json() as OpenApiDoc;
    const scopes = [...new Set(svc.app.routeCatalog.map((r) => r.scope).filter((s): s is string => !!s && s !== 'pii:read'))];
    const token = svc.token(scopes, ['3205']);
    for (const route of svc.app.routeCatalog.filter((r) => r.method === 'GET' && r.url.startsWith('/v1'))) {
      const key = `${name} GET ${route.url}`;
      const urls = urlsFor(route, doc);
      if (typeof urls === 'string') {
        unfilled.push(`${key}: ${urls}`);
        continue;
      }
      let answered = 0;
      let showed = 0;
      for (const first of urls) {
        // Every page of a list.
        for (let url: string | undefined = first, pages = 0; url && pages < 20; pages++) {
          const res = await call(svc.app, 'GET', url, token);
          if (res.statusCode >= 500) throw new Error(`${key} ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
          if (res.statusCode !== 200) break;
          answered++;
          const body = await shown(res);
          const items = (body as { items?: unknown[] } | undefined)?.items;
          if (!Array.isArray(items) || items.length) showed++;
          const found = piiLeaks(known, body);
          if (found.length) leaks.push(`${key} ${url}: ${describeLeaks(found)}`);
          const next = (body as { nextCursor?: string | null } | undefined)?.nextCursor;
          url = next ? `${url.replace(/[?&]cursor=[^&]*/, '')}${url.includes('?') ? '&' : '?'}cursor=${next}` : undefined;
        }
      }
      t.ok(answered > 0 && (showed > 0 || EMPTY_BY_DESIGN.has(key)), `${key}: answered ${answered} times, ${showed} with something to show`);
    }
  }
  t.same(unfilled, [], 'every GET route could be called; teach test/pii-walk.test.ts the others');
  t.same(leaks, [], 'no answer lets a caller without pii:read rebuild an identity number or phone');
});

t.test('no webhook body, of any type, shows anything from which an identity number or phone can be rebuilt', async (t) => {
  const known = await cityPii(city);
  const expected = ['seeker.re-employed', 'referral.outcome', 'matching-run.completed'];
  const types = await eventually(async () => {
    const seen = new Set(delivered.map((d) => d.type));
    return expected.every((type) => seen.has(type)) ? seen : undefined;
  }, 15_000);
  t.ok(types, `the city's events reached the receiver: ${[...types].join(', ')}`);
  const leaks = delivered.flatMap((d) => {
    const found = piiLeaks(known, d.body);
    return found.length ? [`${d.type}: ${describeLeaks(found)}`] : [];
  });
  t.same(leaks, [], 'no webhook body lets its receiver rebuild an identity number or phone');
});
