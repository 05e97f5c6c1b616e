import { Queue, Worker, type Job, type JobSchedulerTemplateOptions, type RepeatOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { queueNames } from '@reemploy/events';
import type { Closable, ServiceContext } from './service.ts';

/** One scheduled job of a service's maintenance queue. */
export interface MaintenanceJob {
  /** The job's name, also the id of its scheduler. */
  name: string;
  /** When it runs: a cron `pattern` (with `tz: 'Asia/Shanghai'`) or `every` so many milliseconds. */
  schedule: Omit<RepeatOptions, 'key'>;
  /** Each run's options: attempts, backoff, how many finished runs Redis keeps. */
  opts?: JobSchedulerTemplateOptions;
  run(job: Job): Promise<unknown>;
}

/**
 * Schedules a service's maintenance jobs on its maintenance queue and consumes them one at a time,
 * each by its name. Every instance upserts the same schedulers, so a run can happen twice: each job
 * is safe to repeat. A job no scheduler of this version names (left by an older one) is dropped.
 */
export async function startMaintenanceWorker(
  ctx: Pick<ServiceContext, 'service' | 'redis' | 'queuePrefix' | 'logger'>,
  workerRedis: Redis,
  jobs: MaintenanceJob[],
): Promise<Closable[]> {
  const name = queueNames.maintenance(ctx.service);
  const queue = new Queue(name, { connection: ctx.redis, prefix: ctx.queuePrefix });
  for (const job of jobs) await queue.upsertJobScheduler(job.name, job.schedule, { name: job.name, ...(job.opts ? { opts: job.opts } : {}) });
  const byName = new Map(jobs.map((job) => [job.name, job]));
  const worker = new Worker(
    name,
    async (job) => {
      const known = byName.get(job.name);
      if (known) return known.run(job);
      ctx.logger.warn({ job: job.name }, 'maintenance job of no known kind dropped');
    },
    { connection: workerRedis, prefix: ctx.queuePrefix, concurrency: 1 },
  );
  worker.on('failed', (job, err) => ctx.logger.warn({ job: job?.name, err: err.message }, 'maintenance job failed'));
  worker.on('error', (err) => ctx.logger.warn({ err: err.message }, 'maintenance worker error'));
  return [worker, queue];
}
