import type { Redis } from 'ioredis';
import { maintenanceJob, purgeJob, startMaintenanceWorker, type Closable, type MaintenanceJob } from '@reemploy/runtime';
import { cityDate, CITY_TIME_ZONE } from '@reemploy/domain';
import type { RegistrationContext } from '../context.ts';
import { DAILY_HARDSHIP_JOB, rederiveDailyHardship } from './daily-hardship.ts';
import { anonymiseWithdrawnSeekers, RETENTION_JOB } from './retention.ts';
import { ESCALATION_EVERY_MS, ESCALATION_JOB, publishEscalations } from '../escalations/publish.ts';

function maintenanceJobs(ctx: RegistrationContext): MaintenanceJob[] {
  return [
    maintenanceJob({
      // The daily re-derivation (00:10 Shanghai).
      name: DAILY_HARDSHIP_JOB,
      schedule: { pattern: '10 0 * * *', tz: CITY_TIME_ZONE },
      run: async (data) => {
        const result = await rederiveDailyHardship(ctx, data.day ?? cityDate());
        ctx.logger.info(result, 'daily hardship re-derivation');
      },
    }),
    {
      name: ESCALATION_JOB,
      schedule: { every: ESCALATION_EVERY_MS },
      opts: { removeOnComplete: 100, removeOnFail: 100 },
      run: async () => {
        const escalated = await publishEscalations(ctx.db);
        if (escalated) ctx.logger.info({ escalated }, 'zero-employment households escalated');
      },
    },
    {
      // Retention: seekers withdrawn longer than RETENTION_WITHDRAWN_DAYS are anonymised (00:40 Shanghai).
      name: RETENTION_JOB,
      schedule: { pattern: '40 0 * * *', tz: CITY_TIME_ZONE },
      opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } },
      run: async () => {
        const result = await anonymiseWithdrawnSeekers(ctx);
        ctx.logger.info(result, 'retention: withdrawn seekers anonymised');
        return result;
      },
    },
    purgeJob(ctx),
  ];
}

/** Schedules registration's maintenance jobs and consumes its maintenance queue. */
export function startMaintenance(ctx: RegistrationContext, workerRedis: Redis): Promise<Closable[]> {
  return startMaintenanceWorker(ctx, workerRedis, maintenanceJobs(ctx));
}
