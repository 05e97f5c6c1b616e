import type { Job, JobSchedulerTemplateOptions, RepeatOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobRegistry, queueNames, type JobData, type JobName, type ServiceName } from '@reemploy/events';
import { createQueue, createTypedWorker, type JobHandlers } from '@reemploy/messaging';
import type { Closable, ServiceContext } from './service.ts';

/** The jobs of any service's maintenance queue (the registry in `@reemploy/events` says which belong to which). */
export type MaintenanceJobName = { [S in ServiceName]: JobName<`maintenance-${S}`> }[ServiceName];

/** The data of a maintenance job, as the registry's schema gives it. */
export type MaintenanceData<N extends MaintenanceJobName> = { [S in ServiceName]: N extends JobName<`maintenance-${S}`> ? JobData<`maintenance-${S}`, N> : never }[ServiceName];

/** One scheduled job of a service's maintenance queue. */
export interface MaintenanceJob<N extends MaintenanceJobName = MaintenanceJobName> {
  /** The job's name in the registry, also the id of its scheduler. */
  name: N;
  /** When it runs: a cron `pattern` (with `tz: 'Asia/Shanghai'`) or `every` so many milliseconds. */
  schedule: Omit<RepeatOptions, 'key'>;
  /** Each run's options: attempts, backoff, how many finished runs Redis keeps. */
  opts?: JobSchedulerTemplateOptions;
  /** Runs one job, given its data as the registry's schema parsed it. */
  run(data: MaintenanceData<N>, job: Job): Promise<unknown>;
}

/**
 * Schedules a service's maintenance jobs on its maintenance queue and consumes them one at a time,
 * each by its name. The jobs given must be exactly those the registry lists for the service's
 * maintenance queue (a start-up error otherwise); a job of another name (left by an older version,
 * or put there by hand) fails without retries. Every instance upserts the same schedulers, so a run
 * can happen twice: each job is safe to repeat.
 */
export async function startMaintenanceWorker(
  ctx: Pick<ServiceContext, 'service' | 'redis' | 'queuePrefix' | 'logger'>,
  workerRedis: Redis,
  jobs: MaintenanceJob[],
): Promise<Closable[]> {
  const name = queueNames.maintenance(ctx.service);
  const registered = Object.keys(jobRegistry[name]).sort();
  const given = jobs.map((job) => job.name).sort();
  if (registered.join() !== given.join()) throw new Error(`${name}: the registry lists [${registered.join(', ')}], the service runs [${given.join(', ')}]`);
  const queue = createQueue(name, ctx.redis, ctx.queuePrefix, ctx.logger);
  for (const job of jobs) await queue.upsertJobScheduler(job.name, job.schedule, { name: job.name, ...(job.opts ? { opts: job.opts } : {}) });
  const handlers = Object.fromEntries(jobs.map((job) => [job.name, (data: MaintenanceData<MaintenanceJobName>, bullJob: Job) => job.run(data, bullJob)])) as unknown as JobHandlers<typeof name>;
  const worker = createTypedWorker(name, handlers, workerRedis, ctx.queuePrefix, ctx.logger, { concurrency: 1 });
  return [worker, queue];
}

/** A maintenance job with its data typed by its name. */
export function maintenanceJob<N extends MaintenanceJobName>(job: MaintenanceJob<N>): MaintenanceJob {
  return job;
}
