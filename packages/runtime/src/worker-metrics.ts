/**
 * Prometheus metrics of a worker process (worker.ts): its queues' depths and
 * the outbox lag, the duration and outcome of each job its BullMQ workers
 * run, failures, and the Node process metrics, served at /metrics on a
 * port of its own (WORKER_METRICS_PORT, on HOST: loopback by default) to a
 * token with the scope operations:read; /health there is public.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { Counter, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';
import { serviceAudience } from '@reemploy/config';
import { queueNames, type QueueName, type ServiceName } from '@reemploy/events';
import { bearerToken, createTokenVerifier, OPERATIONS_SCOPE, problemBody, problems } from '@reemploy/http-kit';
import { openOperatorQueues } from './admin-board.ts';
import { getOrCreateMetric, metricsRegistryOf, registerQueueGauges } from './queue-metrics.ts';
import type { Closable, ServiceContext } from './service.ts';

/** Where each service's worker serves its metrics unless WORKER_METRICS_PORT says otherwise. */
export const DEFAULT_WORKER_METRICS_PORTS: Record<ServiceName, number> = {
  registration: 9101,
  'job-postings': 9102,
  matching: 9103,
  'assistance-bases': 9104,
};

/** The part of a BullMQ job the metrics read. */
interface JobLike {
  name: string;
  processedOn?: number;
  finishedOn?: number;
}

/** A BullMQ Worker, of whichever copy of bullmq created it. */
export interface WorkerLike {
  name: string;
  on(event: 'completed', listener: (job: JobLike) => void): unknown;
  on(event: 'failed', listener: (job: JobLike | undefined, err: Error) => void): unknown;
}

export function isWorkerLike(value: unknown): value is WorkerLike {
  const v = value as Partial<WorkerLike & { isRunning: unknown; opts: unknown }> | null;
  return !!v && typeof v === 'object' && typeof v.name === 'string' && typeof v.on === 'function' && typeof v.isRunning === 'function' && 'opts' in v;
}

export interface WorkerJobMetrics {
  duration: Histogram<'queue' | 'name' | 'outcome'>;
  failures: Counter<'queue' | 'name'>;
}

export function workerJobMetrics(registry: Registry): WorkerJobMetrics {
  return {
    duration: getOrCreateMetric(
      registry,
      'worker_job_duration_seconds',
      () =>
        new Histogram({
          name: 'worker_job_duration_seconds',
          help: 'Time this process spent on each job, from start to completion or failure',
          labelNames: ['queue', 'name', 'outcome'] as const,
          buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1200],
          registers: [registry],
        }),
    ),
    failures: getOrCreateMetric(
      registry,
      'worker_job_failures_total',
      () => new Counter({ name: 'worker_job_failures_total', help: 'Job attempts that failed in this process (each retry counts)', labelNames: ['queue', 'name'] as const, registers: [registry] }),
    ),
  };
}

/** Jobs an event consumer refused because no outbox relay signed them (forged, or signed with a key no longer accepted). */
export function eventsRefusedCounter(registry: Registry): Counter<'reason'> {
  return getOrCreateMetric(
    registry,
    'events_refused_total',
    () => new Counter({ name: 'events_refused_total', help: 'Queued events refused for a missing or wrong relay signature', labelNames: ['reason'] as const, registers: [registry] }),
  );
}

/** Observes every job a worker finishes. */
export function observeWorker(registry: Registry, worker: WorkerLike) {
  const { duration, failures } = workerJobMetrics(registry);
  const seconds = (job: JobLike) => (job.processedOn && job.finishedOn ? Math.max(0, job.finishedOn - job.processedOn) / 1000 : null);
  worker.on('completed', (job) => {
    const s = seconds(job);
    if (s !== null) duration.observe({ queue: worker.name, name: job.name, outcome: 'completed' }, s);
  });
  worker.on('failed', (job, _err) => {
    failures.inc({ queue: worker.name, name: job?.name ?? 'unknown' });
    const s = job ? seconds(job) : null;
    if (job && s !== null) duration.observe({ queue: worker.name, name: job.name, outcome: 'failed' }, s);
  });
}

export interface WorkerMetricsServer extends Closable {
  registry: Registry;
  /** e.g. http://127.0.0.1:9101/metrics */
  url: string;
}

export interface WorkerMetricsOptions {
  host: string;
  port: number;
  /** The service's own queues besides its events and maintenance (`ServiceDefinition.queues`). */
  queues?: readonly QueueName[];
}

/**
 * Registers the worker process's metrics in the context's registry (the one
 * code holding `ctx` observes into: metricsRegistryOf) and serves it.
 */
export async function startWorkerMetrics(ctx: ServiceContext, workers: WorkerLike[], options: WorkerMetricsOptions): Promise<WorkerMetricsServer> {
  const registry = metricsRegistryOf(ctx);
  if (!registry.getSingleMetric('process_cpu_user_seconds_total')) {
    registry.setDefaultLabels({ service: ctx.service });
    collectDefaultMetrics({ register: registry });
  }
  // In a process that also serves the API (tests), the app registered these already.
  const queues: Queue[] = [];
  if (!registry.getSingleMetric('queue_jobs')) {
    const webhooks = new Queue(queueNames.webhooks(ctx.service), { connection: ctx.redis, prefix: ctx.queuePrefix });
    webhooks.on('error', (err) => ctx.logger.debug({ err: err.message }, 'operator queue error'));
    queues.push(...openOperatorQueues(ctx, options.queues), webhooks);
    registerQueueGauges(registry, ctx, queues, ctx.env.METRICS_CACHE_MS);
  }
  workerJobMetrics(registry);
  eventsRefusedCounter(registry);
  for (const worker of workers) observeWorker(registry, worker);

  const verify = createTokenVerifier({
    ...ctx.secrets.tokens,
    audience: ctx.env.TOKEN_AUDIENCE ?? serviceAudience(ctx.service),
    onKeysError: (err) => ctx.logger.warn({ err: err.message }, "the issuer's keys could not be refreshed; the keys held so far stay in use"),
  });
  const server: Server = createServer(async (request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (request.method !== 'GET' || (path !== '/metrics' && path !== '/health')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (path === '/health') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', service: ctx.service, role: 'worker' }));
      return;
    }
    // As on the services: the metrics only for a token with the operators' scope.
    const token = bearerToken(request.headers.authorization);
    const caller = token ? await verify(token) : null;
    const refused = !caller ? problems.unauthorized() : !caller.scopes.has(OPERATIONS_SCOPE) ? problems.forbidden(`This route requires the scope "${OPERATIONS_SCOPE}"`) : null;
    if (refused) {
      response.writeHead(refused.status, { 'content-type': 'application/problem+json' }).end(JSON.stringify(problemBody(refused, path, randomUUID())));
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics unavailable: ${err.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    registry,
    url: `http://${host}:${address.port}/metrics`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await Promise.all(queues.map((q) => q.close()));
    },
  };
}
