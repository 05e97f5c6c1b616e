import type { FastifyInstance } from 'fastify';
import type { Queue } from 'bullmq';
import { sql } from 'kysely';
import { Counter, Gauge, Registry } from 'prom-client';
import type { ServiceContext } from './service.ts';

const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * The app's registry per context, so code that holds only `ctx` (a service's
 * routes or in-process workers) observes into the registry /metrics serves.
 * A context without an app (a worker-only process) gets a registry of its own.
 */
const registries = new WeakMap<object, Registry>();

export function metricsRegistryOf(ctx: object): Registry {
  let registry = registries.get(ctx);
  if (!registry) {
    registry = new Registry();
    registries.set(ctx, registry);
  }
  return registry;
}

/** A metric of this name in the registry, made by `create` the first time (a service's own figures, registered once per registry). */
export function getOrCreateMetric<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/**
 * One read shared by every caller until it has settled and `ms` have passed since it started: a
 * scrape (or several at once) costs the store at most one read in that time.
 */
function readAtMostEvery<T>(ms: number, read: () => Promise<T>): () => Promise<T> {
  let last: { at: number; settled: boolean; value: Promise<T> } | undefined;
  return () => {
    if (!last || (last.settled && Date.now() - last.at >= ms)) {
      const entry = { at: Date.now(), settled: false, value: read() };
      void entry.value.finally(() => (entry.settled = true));
      last = entry;
    }
    return last.value;
  };
}

/**
 * Queue depths and outbox lag, read from Redis and Postgres when Prometheus
 * scrapes, at most once every `cacheMs` (METRICS_CACHE_MS): scrapes in between
 * get the figures read last. A store that does not answer leaves its gauges
 * out and counts a collection error, so /metrics itself stays up.
 */
export function registerQueueMetrics(app: FastifyInstance, ctx: Pick<ServiceContext, 'db' | 'logger'>, queues: Queue[], cacheMs: number) {
  const registry = app.metrics.registry;
  registries.set(ctx, registry);
  registerQueueGauges(registry, ctx, queues, cacheMs);
}

/** The same gauges on any registry (a worker process serves them without an app). */
export function registerQueueGauges(registry: Registry, ctx: Pick<ServiceContext, 'db' | 'logger'>, queues: Queue[], cacheMs: number) {
  const errors = new Counter({
    name: 'metrics_collection_errors_total',
    help: 'Reads of queue depths or outbox lag for metrics in which a store did not answer',
    labelNames: ['source'] as const,
    registers: [registry],
  });

  const readDepths = readAtMostEvery(cacheMs, () =>
    Promise.all(queues.map((q) => q.getJobCounts(...STATES))).catch((err: Error) => {
      errors.inc({ source: 'redis' });
      ctx.logger.warn({ err: err.message }, 'queue depths unavailable for metrics');
      return null;
    }),
  );
  new Gauge({
    name: 'queue_jobs',
    help: 'Jobs in each BullMQ queue of this service by state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const counts = await readDepths();
      if (!counts) return;
      queues.forEach((q, i) => {
        for (const state of STATES) this.set({ queue: q.name, state }, counts[i]?.[state] ?? 0);
      });
    },
  });

  // Both outbox gauges come from one query.
  const readLag = readAtMostEvery(cacheMs, () =>
    sql<{ pending: string; age: number | null }>`
      select count(*) as pending, extract(epoch from now() - min(occurred_at))::float8 as age
      from outbox where published_at is null`
      .execute(ctx.db)
      .then(
        ({ rows }) => ({ pending: Number(rows[0]?.pending ?? 0), age: Math.max(0, rows[0]?.age ?? 0) }),
        (err: Error) => {
          errors.inc({ source: 'postgres' });
          ctx.logger.warn({ err: err.message }, 'outbox lag unavailable for metrics');
          return null;
        },
      ),
  );

  new Gauge({
    name: 'outbox_pending_events',
    help: 'Outbox events not yet published',
    registers: [registry],
    async collect() {
      this.reset();
      const figures = await readLag();
      if (figures) this.set(figures.pending);
    },
  });
  new Gauge({
    name: 'outbox_oldest_unpublished_age_seconds',
    help: 'Age of the oldest unpublished outbox event (0 when none), as of the last read',
    registers: [registry],
    async collect() {
      this.reset();
      const figures = await readLag();
      if (figures) this.set(figures.age);
    },
  });
}
