import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import helmet from '@fastify/helmet';
import underPressure from '@fastify/under-pressure';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { isDatabaseUnavailable, isStatementTimeout, isTransactionConflict } from '@reemploy/db';
import { isRedisUnavailable, type MessagingTables } from '@reemploy/messaging';
import { bearerToken, type Caller } from './auth.ts';
import { bearerSchemeDescription, createTokenVerifier, type TokenVerifierOptions } from './token-verifier.ts';
import { handleError } from './errors.ts';
import { scrubPii } from './logging.ts';
import { claimIdempotencyKey, settleIdempotencyKey, type AnswerSealer, type IdempotencyState, type PiiShown } from './idempotency.ts';
import { createMetrics, type ServiceMetrics } from './metrics.ts';
import { Problem, problemSchema, problems } from './problem.ts';
import { findBadStrings } from './strict-input.ts';
import { registerOperationalRoutes } from './operational-routes.ts';
import { recordPiiAccess, type AuditedRecord } from './pii-audit.ts';
import { createRateLimit, type RateLimitOptions } from './rate-limit.ts';
import { importSlots, type ImportConcurrency } from './imports.ts';
import { withoutUnusedSchemas, withPlatformHeaders, type OpenApiDocument, type RouteResponseHeader } from './openapi.ts';
import { registerLanguage } from './language.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a caller's token must hold. Every /v1 route declares one. */
    scope?: string;
    /** A route anyone may call (health, docs); not counted by the rate limit. */
    public?: boolean;
    /** A bulk import: runs only while the caller and the process have an import slot free (imports.ts). */
    bulkImport?: boolean;
    /** Creates that honour Idempotency-Key. */
    idempotent?: boolean;
    /**
     * How a POST checks If-Match against the ETag, for the OpenAPI document (PATCH and PUT: required).
     * The handler does the checking; this only documents it.
     */
    ifMatch?: 'required' | 'when-sent';
    /** Headers the handler sets on its success answers (ETag, Location, Content-Disposition), for the OpenAPI document. */
    responseHeaders?: RouteResponseHeader[];
    /**
     * The route's answer shows personal information unmasked to a caller with
     * `pii:read`: each such answer is written to the PII audit log, one entry
     * per record with its region (by default the answer's `id` and
     * `communityCode`, or each of its `items`').
     */
    piiAudit?: { recordType: string; records?: (payload: unknown) => AuditedRecord[] };
  }
  interface FastifyRequest {
    caller: Caller;
    idempotency?: IdempotencyState;
    /** Records whose personal information this answer shows unmasked (set by recordPiiAccess). */
    piiShown?: PiiShown[];
  }
  interface FastifyInstance {
    metrics: ServiceMetrics;
    /** Every route with the access it declares, for audits and tests. */
    routeCatalog: RouteAccess[];
  }
}

/**
 * Failures a caller should simply retry (503 with Retry-After): Postgres or
 * Redis out of reach, a write that kept losing deadlock or serialization
 * races after its own retries, or a statement Postgres cancelled at its timeout.
 */
export function isTemporaryFailure(err: unknown): boolean {
  return isDatabaseUnavailable(err) || isRedisUnavailable(err) || isTransactionConflict(err) || isStatementTimeout(err);
}

export interface PlatformOptions {
  service: string;
  title: string;
  description: string;
  version: string;
  /** Which bearer tokens are trusted: the issuer, its keys, this service's audience, lifetimes. */
  tokens: TokenVerifierOptions;
  db: Kysely<MessagingTables>;
  /** Named readiness checks; each must resolve within a second. */
  readiness: Record<string, () => Promise<unknown>>;
  tags?: { name: string; description: string }[];
  rateLimit: RateLimitOptions;
  imports: ImportConcurrency;
  /** Shed load with 503 once the event loop lags this much (ms). */
  maxEventLoopDelayMs?: number;
  /** OpenAPI `servers`; by default the relative `/` (the address the document was read from). */
  servers?: { url: string; description?: string }[];
  /** Whether /docs and /docs/json are served (DOCS_ENABLED); the document is built either way (`app.swagger()`). */
  docs?: boolean;
  /** The service's PII cipher: a stored Idempotency-Key answer that shows personal information is sealed with it. */
  pii?: AnswerSealer;
}

export interface RouteAccess {
  method: string;
  url: string;
  scope?: string;
  public: boolean;
  /** Honours Idempotency-Key (a repeat gets the first answer). */
  idempotent: boolean;
  /** Checks If-Match against the ETag: always, or when the caller sends one. */
  ifMatch?: 'required' | 'when-sent';
  /** Headers the handler sets on its success answers. */
  responseHeaders?: RouteResponseHeader[];
}

// Errors are sent as application/problem+json (errors.ts): documented so, not as application/json.
const problemResponse = { content: { 'application/problem+json': { schema: problemSchema } } };
const ERROR_RESPONSES = { '4xx': problemResponse, '5xx': problemResponse };

/**
 * The platform every service stands on: problem+json errors, strict input,
 * bearer-token scopes, Idempotency-Key, Chinese in the script asked for,
 * OpenAPI, health, readiness, metrics.
 * Register it first: it checks every route registered after it.
 */
async function platform(app: FastifyInstance, opts: PlatformOptions) {
  const verify = createTokenVerifier({ onKeysError: (err) => app.log.warn({ err: err.message }, 'the issuer\'s keys could not be refreshed; the keys held so far stay in use'), ...opts.tokens });
  app.decorate('metrics', createMetrics(opts.service));
  app.decorateRequest('caller', null as unknown as Caller);
  const catalog: RouteAccess[] = [];
  app.decorate('routeCatalog', catalog);

  app.addHook('onRoute', (route) => {
    const config = (route.config ??= {});
    const url = route.url;
    if (url.startsWith('/docs')) config.public = true;
    for (const method of [route.method].flat()) {
      const ifMatch = config.ifMatch ?? (url.startsWith('/v1') && (method === 'PATCH' || method === 'PUT') ? 'required' : undefined);
      catalog.push({
        method,
        url,
        ...(config.scope ? { scope: config.scope } : {}),
        public: config.public === true,
        idempotent: config.idempotent === true,
        ...(ifMatch ? { ifMatch } : {}),
        ...(config.responseHeaders ? { responseHeaders: config.responseHeaders } : {}),
      });
    }
    if (!url.startsWith('/v1')) {
      // Documented operational routes (health, readiness, metrics): their security as declared, errors as problem+json.
      const documented = route.schema as { operationId?: string; security?: unknown; response?: object } | undefined;
      if (documented?.operationId) {
        if (config.scope) documented.security = [{ bearerAuth: [config.scope] }];
        else if (config.public) documented.security ??= [];
        documented.response = { '4xx': problemResponse, ...documented.response };
      }
      return;
    }
    if (!config.scope && !config.public) throw new Error(`${route.method} ${url} declares no scope`);
    const schema = (route.schema ??= {});
    if (!schema.operationId) throw new Error(`${route.method} ${url} declares no operationId`);
    schema.security = config.scope ? [{ bearerAuth: [config.scope] }] : [];
    schema.response = { ...ERROR_RESPONSES, ...(schema.response as object | undefined) };
  });

  await app.register(helmet, { contentSecurityPolicy: false, global: true });

  // Shed load before the process falls over; operational routes stay answerable.
  await app.register(underPressure, {
    maxEventLoopDelay: opts.maxEventLoopDelayMs ?? 1000, // 0: off
    retryAfter: 5,
    exposeStatusRoute: false,
    pressureHandler: (request, reply, type, value) => {
      // Health, readiness, metrics and the docs cost next to nothing and are how operators see the pressure: answered.
      if (!request.routeOptions.url?.startsWith('/v1')) return;
      reply.header('retry-after', '5');
      throw new Problem(503, 'overloaded', 'Service overloaded', `The service is shedding load (${type} ${Math.round(Number(value))}); retry shortly`);
    },
  });

  const countRequest = await createRateLimit(app, opts.rateLimit);
  const takeImportSlot = importSlots(opts.imports);
  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    const token = bearerToken(request.headers.authorization);
    const caller = token ? await verify(token) : null;
    if (caller) request.caller = caller;
    // Counted before anything can refuse it: 401s, 403s and 400s use up a budget too.
    if (!config.public) await countRequest(request, reply);
    if (!config.scope) return;
    if (!caller) throw problems.unauthorized();
    if (!caller.scopes.has(config.scope)) throw problems.forbidden(`This route requires the scope "${config.scope}"`);
    if (config.bulkImport) takeImportSlot(request, reply);
  });

  app.addHook('preValidation', async (request) => {
    const bad = [
      ...findBadStrings(request.body, 'body'),
      ...findBadStrings(request.query, 'query'),
      ...findBadStrings(request.params, 'params'),
    ];
    if (bad.length) throw problems.validation(bad, 'Some values cannot be taken as sent (control characters, invalid Unicode, or numbers beyond ±2^53)');
  });

  app.addHook('preHandler', async (request, reply) => {
    if (!request.routeOptions.config.idempotent) return;
    if (await claimIdempotencyKey(opts.db, request, reply, opts.pii)) return reply;
  });

  app.addHook('preSerialization', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const audit = request.routeOptions.config.piiAudit;
    if (!audit || reply.statusCode >= 300 || !request.caller?.scopes.has('pii:read')) return payload;
    await recordPiiAccess(opts.db as never, request, audit.recordType, (audit.records ?? recordsOfAnswer)(payload));
    return payload;
  });

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload) => {
    if (request.idempotency) {
      const state = request.idempotency;
      request.idempotency = undefined;
      // The answer goes out even when it cannot be stored (the database went away meanwhile): the
      // caller learns what happened, and the unsettled claim is taken over by a retry once stale.
      await settleIdempotencyKey(opts.db, state, reply, payload, opts.pii).catch((err: Error) => request.log.warn({ err: err.message }, 'Idempotency-Key answer not stored'));
    }
    return payload;
  });

  // After the answer is stored above: Chinese text goes out in the script the caller asked for.
  registerLanguage(app);

  app.addHook('onResponse', async (request, reply) => {
    app.metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.setErrorHandler((err, request, reply) => handleError(err, request, reply, isTemporaryFailure));
  // The path can carry an identity number or phone (a caller's mistake): never echoed.
  app.setNotFoundHandler((request, reply) => handleError(problems.notFound(`${request.method} ${scrubPii(request.url.split('?')[0] ?? '')}`), request, reply, () => false));

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: opts.title, description: opts.description, version: opts.version },
      // Relative: the service at the address its document (/docs/json) was read from.
      servers: opts.servers ?? [{ url: '/', description: 'This service, at the address this document was read from' }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: bearerSchemeDescription(opts.tokens.audience) },
        },
      },
      tags: [{ name: 'operations', description: 'Health, readiness and metrics' }, ...(opts.tags ?? [])],
    },
    transform: jsonSchemaTransform,
    transformObject: (input) =>
      withoutUnusedSchemas(withPlatformHeaders(jsonSchemaTransformObject(input) as OpenApiDocument, catalog)) as ReturnType<typeof jsonSchemaTransformObject>,
  });
  // Off, the routes do not exist: /docs and /docs/json answer 404 like any unknown path.
  if (opts.docs !== false) await app.register(swaggerUi, { routePrefix: '/docs' });

  registerOperationalRoutes(app, opts);
}

/** The records an answer shows: itself (`id`, `communityCode`), or each of its `items`. */
export function recordsOfAnswer(payload: unknown): AuditedRecord[] {
  if (!payload || typeof payload !== 'object') return [];
  const { id, communityCode, items } = payload as { id?: unknown; communityCode?: unknown; items?: unknown };
  if (Array.isArray(items)) return items.flatMap((item) => recordsOfAnswer(item));
  return typeof id === 'string' && typeof communityCode === 'string' ? [{ id, region: communityCode }] : [];
}

export const platformPlugin = fp(platform, { name: 'reemploy-platform', fastify: '5.x' });
