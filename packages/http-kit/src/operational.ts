import fp from 'fastify-plugin';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { scrubPii } from './logging.ts';
import { OPERATIONS_SCOPE } from './auth.ts';
import { createMetrics, type ServiceMetrics } from './metrics.ts';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: ServiceMetrics;
  }
}

export interface OperationalOptions {
  service: string;
  version: string;
  /** Named readiness checks; each must resolve within a second. */
  readiness: Record<string, () => Promise<unknown>>;
}

const CHECK_TIMEOUT_MS = 1000;
/** A readiness probe's answer serves every request of the second after it started: the stores see at most one probe a second. */
const PROBE_REUSE_MS = 1000;

const checkResult = z.enum(['ok', 'failed', 'timeout']);
type CheckResult = z.infer<typeof checkResult>;

/** One check's outcome, in words of our own: a driver's error text goes to the log, never into an answer. */
async function runCheck(name: string, check: () => Promise<unknown>, log: FastifyBaseLogger): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), CHECK_TIMEOUT_MS);
  });
  try {
    const result = await Promise.race([check().then(() => 'ok' as const), late]);
    if (result === 'timeout') log.warn({ check: name }, `readiness check gave no answer within ${CHECK_TIMEOUT_MS} ms`);
    return result;
  } catch (err) {
    log.warn({ check: name, err: scrubPii((err as Error).message ?? '') }, 'readiness check failed');
    return 'failed';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * /health (the process is up: public), /ready (its stores answer: public, the
 * checks behind it only with `operations:read`), /metrics (Prometheus, with
 * `operations:read`: `app.metrics`, with every request's duration).
 */
async function operationalRoutes(app: FastifyInstance, opts: OperationalOptions) {
  app.decorate('metrics', createMetrics(opts.service));
  app.addHook('onResponse', async (request, reply) => {
    app.metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  const api = app.withTypeProvider<ZodTypeProvider>();
  const started = Date.now();

  api.get('/health', {
    config: { public: true },
    schema: {
      operationId: 'health',
      tags: ['operations'],
      summary: 'Liveness: the process is up',
      response: { 200: z.object({ status: z.literal('ok'), service: z.string(), version: z.string(), uptimeSeconds: z.number() }) },
    },
    handler: async () => ({ status: 'ok' as const, service: opts.service, version: opts.version, uptimeSeconds: Math.round((Date.now() - started) / 1000) }),
  });

  let probe: { at: number; checks: Promise<Record<string, CheckResult>> } | undefined;
  const readiness = (log: FastifyBaseLogger) => {
    if (!probe || Date.now() - probe.at >= PROBE_REUSE_MS) {
      const names = Object.keys(opts.readiness);
      const checks = Promise.all(names.map((n) => runCheck(n, opts.readiness[n]!, log))).then((results) => Object.fromEntries(names.map((n, i) => [n, results[i]!])));
      probe = { at: Date.now(), checks };
    }
    return probe.checks;
  };

  const ready = z.object({
    status: z.enum(['ok', 'unavailable']),
    checks: z.record(z.string(), checkResult).optional().describe(`Each store's check (postgres, redis): only for a token with the scope ${OPERATIONS_SCOPE}`),
  });
  api.get('/ready', {
    config: { public: true },
    schema: {
      operationId: 'ready',
      tags: ['operations'],
      summary: 'Readiness: Postgres and Redis answer (200) or not (503)',
      description: `Anyone gets the status alone. A token with the scope ${OPERATIONS_SCOPE} also gets each check: ok, failed or timeout (the error itself is logged, never sent).`,
      security: [{}, { bearerAuth: [OPERATIONS_SCOPE] }],
      response: { 200: ready, 503: ready },
    },
    handler: async (request, reply) => {
      const checks = await readiness(request.log);
      const ok = Object.values(checks).every((x) => x === 'ok');
      const operator = request.caller?.scopes.has(OPERATIONS_SCOPE) === true;
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', ...(operator ? { checks } : {}) });
    },
  });

  api.get('/metrics', {
    config: { scope: OPERATIONS_SCOPE },
    schema: {
      operationId: 'metrics',
      tags: ['operations'],
      summary: 'Prometheus metrics',
      description: `Prometheus text exposition. Needs a token with the scope ${OPERATIONS_SCOPE} (Prometheus: \`authorization: { credentials_file: … }\` in the scrape config).`,
      response: { 200: { description: 'Prometheus text format 0.0.4', content: { 'text/plain': { schema: z.string() } } } },
    },
    handler: async (_request, reply) => {
      reply.type(app.metrics.registry.contentType);
      return app.metrics.registry.metrics();
    },
  });
}

// After the docs: its routes are documented.
export const operational = fp(operationalRoutes, { name: 'reemploy-operational', fastify: '5.x', dependencies: ['reemploy-access', 'reemploy-docs'] });
