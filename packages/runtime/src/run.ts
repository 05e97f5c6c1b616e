import closeWithGrace from 'close-with-grace';
import { docsEnabled, type BaseEnv } from '@reemploy/config';
import { closeRedis, createRedis, startEventConsumer, startOutboxRelay, type MessagingTables } from '@reemploy/messaging';
import { openWebhookQueue, recordDeliveries, startWebhookDispatcher, wakeDispatcher } from '@reemploy/webhooks';
import { buildApp } from './app.ts';
import { closeContext, createContext, startService } from './context.ts';
import type { Closable, ServiceContext, ServiceDefinition } from './service.ts';
import { metricsRegistryOf } from './queue-metrics.ts';
import { DEFAULT_WORKER_METRICS_PORTS, eventsRefusedCounter, isWorkerLike, startWorkerMetrics, type WorkerLike } from './worker-metrics.ts';

/** HTTP entry point: checks its stores and that its schema is migrated (pnpm migrate), listens, and closes gracefully. */
export async function runServer<DB extends MessagingTables, Env extends BaseEnv>(def: ServiceDefinition<DB, Env>) {
  const env = def.parseEnv(process.env);
  const ctx = createContext(def, env);
  await startService(ctx, def);
  const app = await buildApp(def, ctx);
  const port = (env as unknown as Record<string, number>)[def.portVar] ?? 0;
  closeWithGrace({ delay: 10_000 }, async ({ err }) => {
    if (err) ctx.logger.error({ err: err.message }, 'closing after an error');
    await app.close();
    await closeContext(ctx);
  });
  const address = await app.listen({ host: env.HOST, port });
  ctx.logger.info({ address, ...(docsEnabled(env) ? { docs: `${address}/docs` } : {}) }, `${def.name} listening`);
  return app;
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

export async function runWorker<DB extends MessagingTables, Env extends BaseEnv>(def: ServiceDefinition<DB, Env>) {
  const env = def.parseEnv(process.env);
  const ctx = createContext(def, env);
  await startService(ctx, def);
  const workers = await startWorkers(def, ctx);
  const metrics = await startWorkerMetrics(ctx as never, workers.workers, { host: env.HOST, port: env.WORKER_METRICS_PORT ?? DEFAULT_WORKER_METRICS_PORTS[def.name] });
  closeWithGrace({ delay: 30_000 }, async ({ err }) => {
    if (err) ctx.logger.error({ err: err.message }, 'closing after an error');
    await workers.close();
    await metrics.close();
    await closeContext(ctx);
  });
  ctx.logger.info({ metrics: metrics.url }, `${def.name} worker running`);
}
