import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { docsEnabled, serviceAudience, type BaseEnv } from '@reemploy/config';
import { createFastify, platformPlugin, registerPiiAuditRoutes } from '@reemploy/http-kit';
import type { MessagingTables } from '@reemploy/messaging';
import { openWebhookQueue, registerWebhookRoutes } from '@reemploy/webhooks';
import type { Queue } from 'bullmq';
import type { ServiceContext, ServiceDefinition } from './service.ts';
import { adminTokenBridge, registerOperatorTools } from './admin-board.ts';

/** The service's HTTP app: the platform first, then the service's own routes. */
export async function buildApp<DB extends MessagingTables, Env extends BaseEnv>(def: ServiceDefinition<DB, Env>, ctx: ServiceContext<DB, Env>): Promise<FastifyInstance> {
  const app = createFastify({
    service: def.name,
    logLevel: ctx.env.LOG_LEVEL,
    bodyLimit: ctx.env.BODY_LIMIT,
    requestTimeoutMs: ctx.env.REQUEST_TIMEOUT_MS,
    trustProxy: ctx.env.TRUST_PROXY,
    logger: ctx.logger,
  });
  await app.register(adminTokenBridge);
  await app.register(platformPlugin, {
    service: def.name,
    title: def.title,
    description: def.description,
    version: def.version,
    tokens: { ...ctx.secrets.tokens, audience: ctx.env.TOKEN_AUDIENCE ?? serviceAudience(def.name) },
    db: ctx.db as never,
    pii: ctx.pii,
    docs: docsEnabled(ctx.env),
    tags: [...(def.tags ?? []), { name: 'audit', description: 'Who was shown personal information, and which record' }, { name: 'webhooks', description: 'Signed event deliveries to other systems' }],
    rateLimit: {
      redis: ctx.redis,
      namespace: `${ctx.queuePrefix}:rate-limit:${def.name}`,
      perCaller: ctx.env.RATE_LIMIT_PER_MINUTE,
      perAddress: ctx.env.RATE_LIMIT_PER_ADDRESS_PER_MINUTE,
    },
    imports: { perCaller: ctx.env.IMPORT_CONCURRENCY_PER_CALLER, perService: ctx.env.IMPORT_CONCURRENCY_PER_SERVICE },
    maxEventLoopDelayMs: ctx.env.MAX_EVENT_LOOP_DELAY_MS,
    readiness: {
      postgres: () => sql`select 1`.execute(ctx.db),
      redis: () => ctx.redis.ping(),
    },
  });
  await registerOperatorTools(app, ctx as never);
  await app.register(async (scope) => {
    registerPiiAuditRoutes(scope, ctx.db as never);
    let webhookQueue: Queue | undefined;
    scope.addHook('onClose', async () => webhookQueue?.close());
    registerWebhookRoutes(scope, {
      service: def.name,
      db: ctx.db as never,
      pii: ctx.pii,
      queue: () => (webhookQueue ??= openWebhookQueue(def.name, ctx.redis, ctx.queuePrefix, ctx.logger)),
      redis: ctx.redis,
      queuePrefix: ctx.queuePrefix,
      policy: { allowLoopback: ctx.env.WEBHOOK_ALLOW_LOOPBACK },
      limits: { maxSubscriptions: ctx.env.WEBHOOK_MAX_SUBSCRIPTIONS, replaysPerMinute: ctx.env.WEBHOOK_REPLAYS_PER_MINUTE },
    });
    await def.routes(scope, ctx);
  });
  await app.ready();
  return app;
}
