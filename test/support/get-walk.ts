/**
 * Every GET route of the four services' route catalogues, called over a city
 * built by regions-fixture.ts: each record of the kind a path takes, each
 * format a route offers (JSON, CSV, XLSX) and every page of a list. A route
 * added later is walked without touching the tests that walk; one whose
 * parameters cannot be filled is reported.
 */
import type { RouteAccess } from '@reemploy/http-kit';
import { call, COMMUNITIES, FIXED_PARAMS, PARAM_KIND, type City } from '../regions-fixture.ts';
import { workbookCells } from './pii-leaks.ts';

export type ServiceName = keyof City['services'];
export type Answer = Awaited<ReturnType<typeof call>>;

interface QueryParam {
  in: string;
  name: string;
  required?: boolean;
  schema?: { pattern?: string; enum?: string[]; maximum?: number; anyOf?: { enum?: string[] }[] };
}
interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: QueryParam[] }>>;
}

/** What a walk saw of one route. */
export interface WalkedRoute {
  key: string;
  /** Answers 200. */
  answered: number;
  /** Answers 200 that are not an empty list. */
  showed: number;
}

export interface WalkOptions {
  /** Headers sent with every call (beside the token). */
  headers?: Record<string, string>;
  /** Routes outside /v1 to walk too (`/dashboard`), with the values of their path parameters. */
  beyondV1?: Record<string, string[]>;
}

/** A required query parameter's value: the city's period, its year, a region, a search. */
function requiredValue(city: City, p: QueryParam): string | undefined {
  if (p.name === 'period') return city.period;
  if (p.name === 'year') return city.period.slice(0, 4);
  if (['region', 'regionCode', 'communityCode', 'within'].includes(p.name)) return p.schema?.pattern && !new RegExp(p.schema.pattern).test('3205') ? COMMUNITIES[0] : '3205';
  if (p.name === 'q') return '苏';
  return undefined;
}

const enumOf = (p: QueryParam) => p.schema?.enum ?? p.schema?.anyOf?.find((s) => s.enum)?.enum;

/** Every URL to call for a route: each record its path takes, each format it offers, the longest page it allows. */
function urlsFor(city: City, route: RouteAccess, doc: OpenApiDoc, fixedParams: Record<string, string[]>): string[] | string {
  const op = doc.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.get;
  const query = (op?.parameters ?? []).filter((p) => p.in === 'query');
  const fixed: Record<string, string> = {};
  for (const p of query.filter((q) => q.required)) {
    const value = requiredValue(city, p);
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
  else if (fixedParams[route.url]) paths = fixedParams[route.url]!.map((v) => route.url.replace(/:\w+/, v));
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

/** What an answer shows: JSON parsed, a workbook's cells by sheet name, any other text as it is. */
export async function shown(res: Answer): Promise<unknown> {
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('json')) return res.json();
  if (type.includes('spreadsheetml')) return workbookCells(res.rawPayload);
  return res.body;
}

/**
 * Calls every GET route under /v1 (and those of `beyondV1`) of every service
 * with a token holding every scope but `pii:read`, handing each answer to
 * `visit`. Throws on a 5xx.
 */
export async function walkGetRoutes(
  city: City,
  visit: (answer: { key: string; url: string; res: Answer; body: unknown }) => void | Promise<void>,
  options: WalkOptions = {},
): Promise<{ routes: WalkedRoute[]; unfilled: string[] }> {
  const routes: WalkedRoute[] = [];
  const unfilled: string[] = [];
  const beyond = options.beyondV1 ?? {};
  const fixedParams = { ...FIXED_PARAMS, ...beyond };
  for (const name of Object.keys(city.services) as ServiceName[]) {
    const svc = city.services[name];
    const doc = (await svc.app.inject({ url: '/docs/json' })).json() as OpenApiDoc;
    const scopes = [...new Set(svc.app.routeCatalog.map((r) => r.scope).filter((s): s is string => !!s && s !== 'pii:read'))];
    const token = svc.token(scopes, ['3205']);
    for (const route of svc.app.routeCatalog.filter((r) => r.method === 'GET' && (r.url.startsWith('/v1') || r.url in beyond))) {
      const key = `${name} GET ${route.url}`;
      const urls = urlsFor(city, route, doc, fixedParams);
      if (typeof urls === 'string') {
        unfilled.push(`${key}: ${urls}`);
        continue;
      }
      const walked: WalkedRoute = { key, answered: 0, showed: 0 };
      routes.push(walked);
      for (const first of urls) {
        // Every page of a list.
        for (let url: string | undefined = first, pages = 0; url && pages < 20; pages++) {
          const res = await call(svc.app, 'GET', url, token, undefined, options.headers);
          if (res.statusCode >= 500) throw new Error(`${key} ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
          if (res.statusCode !== 200) break;
          walked.answered++;
          const body = await shown(res);
          const items = (body as { items?: unknown[] } | undefined)?.items;
          if (!Array.isArray(items) || items.length) walked.showed++;
          await visit({ key, url, res, body });
          const next = (body as { nextCursor?: string | null } | undefined)?.nextCursor;
          url = next ? `${url.replace(/[?&]cursor=[^&]*/, '')}${url.includes('?') ? '&' : '?'}cursor=${next}` : undefined;
        }
      }
    }
  }
  return { routes, unfilled };
}
