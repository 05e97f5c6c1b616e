import type { Redis } from 'ioredis';
import { CITY_TIME_ZONE } from '@reemploy/domain';
import { purgeJob, startMaintenanceWorker, type Closable } from '@reemploy/runtime';
import type { JobPostingsContext } from '../context.ts';
import { MAINTENANCE_JOB, runDailyMaintenance } from './service.ts';

/**
 * Schedules the daily maintenance and the purge, and consumes them. Every instance upserts the same
 * schedulers; the guard row in Postgres keeps the daily one to one run per day regardless.
 */
export function startMaintenance(ctx: JobPostingsContext, workerRedis: Redis): Promise<Closable[]> {
  return startMaintenanceWorker(ctx, workerRedis, [
    {
      name: MAINTENANCE_JOB,
      schedule: { pattern: ctx.env.VACANCY_MAINTENANCE_CRON, tz: CITY_TIME_ZONE },
      opts: { attempts: 5, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: 100, removeOnFail: 100 },
      run: () => runDailyMaintenance(ctx),
    },
    purgeJob(ctx),
  ]);
}
