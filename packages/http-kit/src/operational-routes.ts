import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PlatformOptions } from './platform.ts';

const CHECK_TIMEOUT_MS = 1000;

async function withTimeout(check: () => Promise<unknown>): Promise<'ok' | string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return 'ok';
  } catch (err) {
    return (err as Error).message.slice(0, 200) || 'failed';
  } finally {
    clearTimeout(timer);
  }
}

/** /health (the process is up), /ready (its stores answer), /metrics (Prometheus). */
export function registerOperationalRoutes(app: FastifyInstance, opts: PlatformOptions) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const started = Date.now();

  r.get('/health', {
    config: { public: true },
    schema: {
      operationId: 'health',
      tags: ['operations'],
      summary: 'Liveness: the process is up',
      response: { 200: z.object({ status: z.literal('ok'), service: z.string(), version: z.string(), uptimeSeconds: z.number() }) },
    },
    handler: async () => ({ status: 'ok' as const, service: opts.service, version: opts.version, uptimeSeconds: Math.round((Date.now() - started) / 1000) }),
  });

  const readiness = z.object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.string()) });
  r.get('/ready', {
    config: { public: true },
    schema: {
      operationId: 'ready',
      tags: ['operations'],
      summary: 'Readiness: Postgres and Redis answer',
      response: { 200: readiness, 503: readiness },
    },
    handler: async (_request, reply) => {
      const names = Object.keys(opts.readiness);
      const results = await Promise.all(names.map((n) => withTimeout(opts.readiness[n]!)));
      const checks = Object.fromEntries(names.map((n, i) => [n, results[i]!]));
      const ok = results.every((x) => x === 'ok');
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
    },
  });

  r.get('/metrics', {
    config: { public: true },
    schema: { operationId: 'metrics', tags: ['operations'], summary: 'Prometheus metrics', hide: true },
    handler: async (_request, reply) => {
      reply.type(app.metrics.registry.contentType);
      return app.metrics.registry.metrics();
    },
  });
}
