import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { CITY_TIME_ZONE } from '@reemploy/domain';
import { queueNames } from '@reemploy/events';
import type { Closable } from '@reemploy/runtime';
import type { Ctx } from '../shared/context.ts';
import { MAINTENANCE_JOB, runDailyMaintenance } from './service.ts';

/**
 * Schedules the daily maintenance and consumes it. Every instance upserts the same
 * scheduler; the guard row in Postgres keeps it to one run per day regardless.
 */
export async function startMaintenance(ctx: Ctx, workerRedis: Redis): Promise<Closable[]> {
  const name = queueNames.maintenance('job-postings');
  const queue = new Queue(name, { connection: ctx.redis, prefix: ctx.queuePrefix });
  await queue.upsertJobScheduler(
    MAINTENANCE_JOB,
    { pattern: ctx.env.VACANCY_MAINTENANCE_CRON, tz: CITY_TIME_ZONE },
    { name: MAINTENANCE_JOB, opts: { attempts: 5, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: 100, removeOnFail: 100 } },
  );
  const worker = new Worker(
    name,
    async (job) => {
      if (job.name !== MAINTENANCE_JOB) return;
      return runDailyMaintenance(ctx);
    },
    { connection: workerRedis, prefix: ctx.queuePrefix, concurrency: 1 },
  );
  worker.on('failed', (job, err) => ctx.logger.warn({ job: job?.name, err: err.message }, 'maintenance job failed'));
  worker.on('error', (err) => ctx.logger.warn({ err: err.message }, 'maintenance worker error'));
  return [worker, queue];
}
