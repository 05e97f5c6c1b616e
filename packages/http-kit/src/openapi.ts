/**
 * What the platform adds to each service's OpenAPI document beyond the routes' own schemas: the
 * request headers the platform and the handlers read (Idempotency-Key, If-Match) and the response
 * headers they set (ETag, Location, Idempotent-Replayed, Retry-After, the rate-limit counters,
 * X-Request-Id), with the 429 and 503 answers every route can give. Clients generated from the
 * document can then send and read them; test/openapi-responses.test.ts holds every operation's real
 * answers against it.
 */
import { z } from 'zod';

/** A header a route's handler sets on its success answer, named in its `config.responseHeaders`. */
export type RouteResponseHeader = 'ETag' | 'Location' | 'Content-Disposition';

/** What the document of a route follows from (its entry in the route catalogue). */
export interface DocumentedRoute {
  method: string;
  url: string;
  /** Not counted by the rate limit; every other route's answers carry the counters, and 429 beyond. */
  public: boolean;
  /** Honours Idempotency-Key: a repeat gets the first answer (2xx or 4xx) with Idempotent-Replayed. */
  idempotent: boolean;
  /** Checks If-Match against the ETag: always, or when the caller sends one. */
  ifMatch?: 'required' | 'when-sent';
  /** Headers its handler sets on its success answers. */
  responseHeaders?: readonly RouteResponseHeader[];
}

type Header = { description: string; required: boolean; schema: Record<string, unknown> };

/** Every response header the services set, as components.headers; each answer refers to those it carries. */
const HEADERS = {
  ETag: {
    description: 'The version of the record this answer shows or changed: send it as If-Match to change the record',
    required: true,
    schema: { type: 'string', minLength: 1 },
  },
  Location: { description: 'Where the record this request made (or started) is read', required: true, schema: { type: 'string', minLength: 1 } },
  'Content-Disposition': {
    description: 'attachment; filename="…" when the answer is a file (CSV, XLSX); absent on JSON',
    required: false,
    schema: { type: 'string' },
  },
  'Idempotent-Replayed': {
    description: 'true when this is the stored first answer to an earlier request with the same Idempotency-Key',
    required: false,
    schema: { type: 'string', enum: ['true'] },
  },
  'Retry-After': { description: 'Seconds to wait before retrying', required: true, schema: { type: 'integer', minimum: 1 } },
  'X-RateLimit-Limit': {
    description: 'Requests per minute this caller may make (its calling system, or its address without a valid token); absent while the counters are unreachable',
    required: false,
    schema: { type: 'integer', minimum: 0 },
  },
  'X-RateLimit-Remaining': { description: 'Requests left in the current minute', required: false, schema: { type: 'integer', minimum: 0 } },
  'X-RateLimit-Reset': { description: 'Seconds until the current minute’s count starts again', required: false, schema: { type: 'integer', minimum: 0 } },
  Vary: {
    description: 'Accept-Language on every /v1 answer: the answer depends on the script asked for',
    required: false,
    schema: { type: 'string' },
  },
  'Content-Language': {
    description: 'The script of the answer’s Chinese text, when it has any: zh-Hans by default, zh-Hant-TW or zh-Hant-HK as Accept-Language asked',
    required: false,
    schema: { type: 'string' },
  },
  'X-Request-Id': {
    description: 'This request’s id (the one sent as X-Request-Id when valid, else a new one), also the problem’s requestId: quote it when asking about a request',
    required: true,
    schema: { type: 'string', minLength: 1 },
  },
} satisfies Record<string, Header>;

type HeaderName = keyof typeof HEADERS;
/** Under their HTTP name in an answer, each pointing at its component. */
type HeaderRefs = Record<string, { $ref: string }>;

const ref = (name: HeaderName): HeaderRefs => ({ [name]: { $ref: `#/components/headers/${name}` } });
const LANGUAGE: HeaderRefs = { ...ref('Vary'), ...ref('Content-Language') };
const RATE_LIMIT: HeaderRefs = { ...ref('X-RateLimit-Limit'), ...ref('X-RateLimit-Remaining'), ...ref('X-RateLimit-Reset') };
const PROBLEM = { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
/** On a 429: sent whenever waiting helps, which is all but limit-reached (a cap lifted by deleting, not by time). */
const RETRY_AFTER_IF_WAITING_HELPS = {
  'Retry-After': { description: 'Seconds to wait before retrying; absent on limit-reached, which waiting does not lift', required: false, schema: { type: 'integer', minimum: 1 } },
};

type Response = { $ref?: string; description?: string; content?: unknown; headers?: Record<string, unknown> };
type OpenApiOperation = { parameters?: { name: string; in: string }[]; responses?: Record<string, Response> };
export type OpenApiDocument = {
  paths?: unknown;
  components?: { schemas?: Record<string, unknown>; responses?: Record<string, unknown>; headers?: Record<string, unknown> };
} & Record<string, unknown>;

const IDEMPOTENCY_KEY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Makes a retry safe: a repeat with the same key gets the first answer again (Idempotent-Replayed: true); the same key with another request is 422',
  schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7E]+$' },
};

function ifMatchParameter(required: boolean) {
  return {
    name: 'If-Match',
    in: 'header',
    required,
    description: required
      ? 'The ETag of the version being changed: without it 428, when stale 412 (nothing changed)'
      : 'The ETag of the version being changed, checked when sent: when stale 412 (nothing changed)',
    schema: { type: 'string', minLength: 1 },
  };
}

/**
 * Idempotency-Key and If-Match are handled by the platform and the handlers, not by a header schema
 * (a schema would answer 400 where the contract says 428): each operation's document names them,
 * so clients generated from it can send them.
 */
/** Every /v1 answer's Chinese is simplified unless the caller asks for traditional. */
const ACCEPT_LANGUAGE_PARAMETER = {
  in: 'header',
  name: 'Accept-Language',
  required: false,
  description: 'zh-Hant or zh-TW for traditional Chinese (Taiwan forms), zh-HK for Hong Kong forms; anything else, or none, gives simplified',
  schema: { type: 'string' },
} as const;

function addRequestHeaders(operation: OpenApiOperation, route: DocumentedRoute) {
  const parameters = [...(operation.parameters ?? [])];
  const has = (name: string) => parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === name.toLowerCase());
  if (route.idempotent && !has('Idempotency-Key')) parameters.push(IDEMPOTENCY_KEY_PARAMETER);
  if (route.ifMatch && !has('If-Match')) parameters.push(ifMatchParameter(route.ifMatch === 'required'));
  if (route.url.startsWith('/v1') && !has('Accept-Language')) parameters.push(ACCEPT_LANGUAGE_PARAMETER);
  if (parameters.length) operation.parameters = parameters;
}

const isProblem = (response: Response) => {
  const types = Object.keys((response.content as object | undefined) ?? {});
  return types.length === 1 && types[0] === 'application/problem+json';
};

/** The problem answers every operation shares, as components.responses, by the headers they carry. */
const PROBLEM_RESPONSES = {
  Refused: {
    description: 'Refused: an RFC 9457 problem with a stable code, naming each failing field',
    ...PROBLEM,
    headers: { ...ref('X-Request-Id'), ...RATE_LIMIT, ...LANGUAGE },
  },
  RefusedReplayable: {
    description: 'Refused: an RFC 9457 problem with a stable code, naming each failing field; a repeat under the same Idempotency-Key gets the same refusal again',
    ...PROBLEM,
    headers: { ...ref('X-Request-Id'), ...RATE_LIMIT, ...ref('Idempotent-Replayed'), ...LANGUAGE },
  },
  RefusedUncounted: { description: 'Refused: an RFC 9457 problem with a stable code', ...PROBLEM, headers: { ...ref('X-Request-Id'), ...LANGUAGE } },
  TooManyRequests: {
    description: 'Too many requests: a rate limit, or a limit of the route (imports at once, replays, registrations shown elsewhere, subscriptions)',
    ...PROBLEM,
    headers: { ...ref('X-Request-Id'), ...RATE_LIMIT, ...RETRY_AFTER_IF_WAITING_HELPS, ...LANGUAGE },
  },
  Unavailable: {
    description: 'Unavailable for now (overloaded, busy with imports, or a backing store is away): retry after Retry-After',
    ...PROBLEM,
    headers: { ...ref('X-Request-Id'), ...RATE_LIMIT, ...ref('Retry-After'), ...LANGUAGE },
  },
  Failed: { description: 'Failed on the service’s side: an RFC 9457 problem (the cause is logged, never sent)', ...PROBLEM, headers: { ...ref('X-Request-Id'), ...RATE_LIMIT, ...LANGUAGE } },
} satisfies Record<string, Response>;
type ProblemResponse = keyof typeof PROBLEM_RESPONSES;

/**
 * The answers and headers of an operation: X-Request-Id on all; the rate-limit counters on those of
 * counted routes, which may also answer 429; 503 (with Retry-After) on every /v1 route; a route's own
 * headers on its success answers; Idempotent-Replayed on the answers an Idempotency-Key replays (2xx
 * and 4xx: a 429 or a 5xx frees the key). Problem answers refer to the shared components.
 */
function addResponses(operation: OpenApiOperation, route: DocumentedRoute) {
  const responses = (operation.responses ??= {});
  const counted = !route.public;
  if (counted) responses['429'] ??= { ...PROBLEM };
  if (route.url.startsWith('/v1')) responses['503'] ??= { ...PROBLEM };
  for (const [status, response] of Object.entries(responses)) {
    if (status.startsWith('2')) {
      response.headers = {
        ...ref('X-Request-Id'),
        ...(counted ? RATE_LIMIT : {}),
        ...Object.assign({}, ...(route.responseHeaders ?? []).map((name) => ref(name))),
        ...(route.idempotent ? ref('Idempotent-Replayed') : {}),
        ...(route.url.startsWith('/v1') ? LANGUAGE : {}),
        ...response.headers,
      };
      continue;
    }
    if (!isProblem(response) || response.headers) continue;
    let shared: ProblemResponse | undefined;
    if (status === '429') shared = 'TooManyRequests';
    else if (status === '503') shared = 'Unavailable';
    else if (status.startsWith('5')) shared = counted ? 'Failed' : undefined;
    else if (status.startsWith('4')) shared = !counted ? 'RefusedUncounted' : route.idempotent ? 'RefusedReplayable' : 'Refused';
    if (shared) responses[status] = { $ref: `#/components/responses/${shared}` };
  }
}

/** The shared answers and headers the operations refer to (and no others: unused components fail the lint). */
function usedComponents(paths: Record<string, Record<string, OpenApiOperation>>) {
  const responses = new Set<string>();
  const headers = new Set<string>();
  const collect = (response: Response) => {
    const target = response.$ref?.split('/').pop();
    if (target) {
      responses.add(target);
      return collect(PROBLEM_RESPONSES[target as ProblemResponse]);
    }
    for (const header of Object.values(response.headers ?? {})) {
      const name = (header as { $ref?: string }).$ref?.split('/').pop();
      if (name) headers.add(name);
    }
  };
  for (const operations of Object.values(paths)) for (const operation of Object.values(operations)) Object.values(operation.responses ?? {}).forEach(collect);
  return {
    responses: Object.fromEntries(Object.entries(PROBLEM_RESPONSES).filter(([name]) => responses.has(name))),
    headers: Object.fromEntries(Object.entries(HEADERS).filter(([name]) => headers.has(name))),
  };
}

/** Adds the headers and answers above to every operation of a route the platform knows. */
export function withPlatformHeaders<T extends OpenApiDocument>(doc: T, routes: readonly DocumentedRoute[]): T {
  const paths = doc.paths as Record<string, Record<string, OpenApiOperation>> | undefined;
  if (!paths) return doc;
  const byRoute = new Map(routes.map((r) => [`${r.method} ${r.url}`, r]));
  for (const [path, operations] of Object.entries(paths)) {
    const url = path.replace(/\{([^}]+)\}/g, ':$1');
    for (const [method, operation] of Object.entries(operations)) {
      const route = byRoute.get(`${method.toUpperCase()} ${url}`);
      if (!route || typeof operation !== 'object') continue;
      addRequestHeaders(operation, route);
      addResponses(operation, route);
    }
  }
  const used = usedComponents(paths);
  return { ...doc, components: { ...doc.components, responses: { ...doc.components?.responses, ...used.responses }, headers: { ...doc.components?.headers, ...used.headers } } };
}

/**
 * Zod's global registry puts every schema with a `meta({ id })` loaded in the
 * process into each document's components (and an `…Input` twin of each);
 * keep only those the paths (and the shared answers) reach, directly or through other components.
 */
export function withoutUnusedSchemas<T extends OpenApiDocument>(doc: T): T {
  const schemas = doc.components?.schemas;
  if (!schemas) return doc;
  const prefix = '#/components/schemas/';
  const used = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(prefix)) {
        const name = decodeURIComponent(value.slice(prefix.length));
        if (!used.has(name)) {
          used.add(name);
          visit(schemas[name]);
        }
      } else visit(value);
    }
  };
  visit([doc.paths, doc.components?.responses, doc.components?.headers]);
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
  return { ...doc, components: { ...doc.components, schemas: kept } };
}

/**
 * The body of an upload that the route's own content-type parser reads (as a stream or as text), for
 * the document: a string under each media type of the route's `consumes`, so that generated clients
 * can send the file. It checks nothing itself: the parser and the handler do (415 for another type).
 */
export function uploadBody<T>(description: string) {
  return z.custom<T>().meta({ type: 'string', description });
}

/** The media type of an Office Open XML workbook (XLSX). */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A file answer's schema under its media type: text (CSV) or bytes (XLSX). */
export function fileSchema(description: string, binary = false) {
  return z.string().meta({ description, ...(binary ? { format: 'binary' } : {}) });
}
