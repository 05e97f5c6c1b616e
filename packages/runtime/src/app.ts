import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'kysely';
import { docsEnabled, responseChecks, serviceAudience, type BaseEnv } from '@reemploy/config';
import { access, auth, createFastify, docs, errors, idempotency, imports, language, operational, piiAudit, protection, rateLimit, strictInput, type ServiceDocument } from '@reemploy/http-kit';
import type { MessagingTables } from '@reemploy/messaging';
import type { ServiceContext, ServiceDefinition } from './service.ts';
import { adminTokenBridge } from './admin-board.ts';

/**
 * The service's HTTP app: a Fastify instance set up from the service's
 * environment (createFastify: body limit, timeouts, logger, proxies) with the
 * service's own plugin, its src/app.ts, registered on it. Not listening.
 */
export async function buildApp<DB extends MessagingTables, Env extends BaseEnv>(def: ServiceDefinition<DB, Env>, ctx: ServiceContext<DB, Env>): Promise<FastifyInstance> {
  const app = createFastify({
    service: def.name,
    logLevel: ctx.env.LOG_LEVEL,
    bodyLimit: ctx.env.BODY_LIMIT,
    requestTimeoutMs: ctx.env.REQUEST_TIMEOUT_MS,
    trustProxy: ctx.env.TRUST_PROXY,
    logger: ctx.logger,
    checkResponses: responseChecks(ctx.env),
  });
  await app.register(def.app, { ctx });
  await app.ready();
  return app;
}

/**
 * The options of the platform's plugins (packages/http-kit) and of the webhook
 * routes, as the service's context sets them (its environment, stores and keys).
 */
export function pluginOptions<DB extends MessagingTables, Env extends BaseEnv>(ctx: ServiceContext<DB, Env>, document: ServiceDocument) {
  const audience = ctx.env.TOKEN_AUDIENCE ?? serviceAudience(ctx.service);
  const db = ctx.db as never;
  return {
    protection: { maxEventLoopDelayMs: ctx.env.MAX_EVENT_LOOP_DELAY_MS },
    auth: { ...ctx.secrets.tokens, audience },
    rateLimit: {
      redis: ctx.redis,
      namespace: `${ctx.queuePrefix}:rate-limit:${ctx.service}`,
      perCaller: ctx.env.RATE_LIMIT_PER_MINUTE,
      perAddress: ctx.env.RATE_LIMIT_PER_ADDRESS_PER_MINUTE,
    },
    imports: { perCaller: ctx.env.IMPORT_CONCURRENCY_PER_CALLER, perService: ctx.env.IMPORT_CONCURRENCY_PER_SERVICE },
    idempotency: { db, pii: ctx.pii },
    piiAudit: { db },
    docs: { ...document, audience, enabled: docsEnabled(ctx.env) },
    operational: {
      service: ctx.service,
      version: document.version,
      readiness: {
        postgres: () => sql`select 1`.execute(ctx.db),
        redis: () => ctx.redis.ping(),
      },
    },
    webhooks: {
      service: ctx.service,
      db,
      pii: ctx.pii,
      redis: ctx.redis,
      queuePrefix: ctx.queuePrefix,
      logger: ctx.logger,
      policy: { allowLoopback: ctx.env.WEBHOOK_ALLOW_LOOPBACK },
      limits: { maxSubscriptions: ctx.env.WEBHOOK_MAX_SUBSCRIPTIONS, replaysPerMinute: ctx.env.WEBHOOK_REPLAYS_PER_MINUTE },
    },
  };
}

export type PlatformOptions = ReturnType<typeof pluginOptions>;

/**
 * The platform every service's app registers first: packages/http-kit's plugins,
 * one a concern, in the order their hooks run (and the queue board's cookie,
 * read before the token is checked). One list, so the four services cannot
 * drift apart in what guards them or in what order.
 */
export const platform = fp(
  async (app: FastifyInstance, options: PlatformOptions) => {
    await app.register(errors);
    await app.register(protection, options.protection);
    await app.register(adminTokenBridge);
    await app.register(auth, options.auth);
    await app.register(rateLimit, options.rateLimit);
    await app.register(access);
    await app.register(imports, options.imports);
    await app.register(strictInput);
    await app.register(idempotency, options.idempotency);
    await app.register(piiAudit, options.piiAudit);
    await app.register(language);
    await app.register(docs, options.docs);
    await app.register(operational, options.operational);
  },
  { name: 'platform', fastify: '5.x' },
);
