import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { docsEnabled, type BaseEnv } from '@reemploy/config';
import { closeRedis, createRedis, startEventConsumer, startOutboxRelay, type MessagingTables } from '@reemploy/messaging';
import { openWebhookQueue, recordDeliveries, startWebhookDispatcher, wakeDispatcher } from '@reemploy/webhooks';
import { closeContext, createContext, startService } from './context.ts';
import type { AnyServiceContext, Closable, ServiceContext, ServiceDefinition } from './service.ts';
import { metricsRegistryOf } from './queue-metrics.ts';
import { DEFAULT_WORKER_METRICS_PORTS, eventsRefusedCounter, isWorkerLike, startWorkerMetrics, type WorkerLike } from './worker-metrics.ts';

/**
 * How a server or worker process opens its service: the environment, its
 * stores (Postgres, Redis, keys), the start-up checks, the refusal of a schema
 * `pnpm migrate` has not migrated, and the definition's prepare step.
 */
export async function openService<DB extends MessagingTables, Env extends BaseEnv>(def: ServiceDefinition<DB, Env>): Promise<ServiceContext<DB, Env>> {
  const ctx = createContext(def, def.parseEnv(process.env));
  await startService(ctx, def);
  return ctx;
}

/** HTTP entry point: the app listens on HOST and `port`, and closes gracefully (the app, then the stores) on a signal. */
export async function listen(app: FastifyInstance, ctx: AnyServiceContext, port: number) {
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) ctx.logger.error({ err: err.message }, 'closing after an error');
    await app.close();
    await closeContext(ctx);
  });
  const address = await app.listen({ host: ctx.env.HOST, port });
  ctx.logger.info({ address, ...(docsEnabled(ctx.env) ? { docs: `${address}/docs` } : {}) }, `${ctx.service} listening`);
}

export interface RunningWorkers extends Closable {
  flushOutbox(): Promise<number>;
  /** The BullMQ workers started here and those the service returned itself (for metrics). */
  workers: WorkerLike[];
}

/**
 * Queue entry point: the outbox relay (producers always run) and, unless
 * RUN_WORKERS=false, every consumer: events, webhook deliveries, the service's
 * own queues. Returns what it started so tests can run
 * a worker in-process.
 */
export async function startWorkers<DB extends MessagingTables, Env extends BaseEnv>(def: ServiceDefinition<DB, Env>, ctx: ServiceContext<DB, Env>): Promise<RunningWorkers> {
  const workerRedis = createRedis(ctx.env.REDIS_URL, 'worker', `${def.name}-worker`);
  workerRedis.on('error', (err) => ctx.logger.debug({ err: err.message }, 'worker Redis error'));
  const webhookQueue = def.publishesEvents ? openWebhookQueue(def.name, ctx.redis, ctx.queuePrefix, ctx.logger) : null;
  const relay = def.publishesEvents
    ? startOutboxRelay({
        service: def.name,
        db: ctx.db,
        pool: ctx.database.pool,
        schema: ctx.database.schema,
        redis: ctx.redis,
        prefix: ctx.queuePrefix,
        logger: ctx.logger,
        signingKey: ctx.secrets.eventSigningKeys.current,
        onPublished: async (trx, envelopes) => {
          const subscriptions = await recordDeliveries(trx as never, envelopes);
          if (subscriptions.length && webhookQueue) return () => wakeDispatcher(webhookQueue, subscriptions);
        },
      })
    : null;
  const closables: Closable[] = [];
  if (ctx.env.RUN_WORKERS) {
    if (webhookQueue) {
      const policy = { allowLoopback: ctx.env.WEBHOOK_ALLOW_LOOPBACK };
      closables.push(startWebhookDispatcher({ service: def.name, db: ctx.db as never, pii: ctx.pii, prefix: ctx.queuePrefix, logger: ctx.logger, policy }, webhookQueue, workerRedis));
    }
    const handlers = def.eventHandlers?.(ctx);
    if (handlers && Object.keys(handlers).length) {
      const refused = eventsRefusedCounter(metricsRegistryOf(ctx));
      closables.push(
        startEventConsumer({
          service: def.name,
          db: ctx.db,
          redis: workerRedis,
          prefix: ctx.queuePrefix,
          logger: ctx.logger,
          handlers,
          signingKeys: ctx.secrets.eventSigningKeys,
          onRefused: (reason) => refused.inc({ reason }),
        }),
      );
    }
    closables.push(...((await def.startWorkers?.(ctx, workerRedis)) ?? []));
  }
  // BullMQ workers a service returned, directly or as `{ close, workers }`, are observed by the worker metrics.
  const returned = closables.flatMap((c) => (isWorkerLike(c) ? [c] : ((c as { workers?: unknown[] }).workers ?? []).filter(isWorkerLike)));
  const workers: WorkerLike[] = returned;
  return {
    workers,
    flushOutbox: () => relay?.flush() ?? Promise.resolve(0),
    async close() {
      // In-flight jobs finish first (Worker.close waits), then the relay, then connections.
      await Promise.all(closables.map((c) => c.close()));
      await relay?.stop();
      await webhookQueue?.close();
      await closeRedis(workerRedis);
    },
  };
}

/** Queue entry point: startWorkers, and the worker's metrics on a port of its own; closes gracefully on a signal. */
export async function runWorkers<DB extends MessagingTables, Env extends BaseEnv>(def: ServiceDefinition<DB, Env>, ctx: ServiceContext<DB, Env>) {
  const env = ctx.env;
  const workers = await startWorkers(def, ctx);
  const metrics = await startWorkerMetrics(ctx as never, workers.workers, {
    host: env.HOST,
    port: env.WORKER_METRICS_PORT ?? DEFAULT_WORKER_METRICS_PORTS[def.name],
    ...(def.queues ? { queues: def.queues } : {}),
  });
  closeWithGrace({ delay: 30_000 }, async ({ err }) => {
    if (err) ctx.logger.error({ err: err.message }, 'closing after an error');
    await workers.close();
    await metrics.close();
    await closeContext(ctx);
  });
  ctx.logger.info({ metrics: metrics.url }, `${def.name} worker running`);
}
