import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { cityDate, CITY_TIME_ZONE } from '@reemploy/domain';
import { queueNames } from '@reemploy/events';
import type { Closable, ServiceContext } from '@reemploy/runtime';
import type { RegistrationEnv } from '../config.ts';
import type { RegistrationDB } from '../database.ts';
import { DAILY_HARDSHIP_JOB, rederiveDailyHardship } from './daily-hardship.ts';
import { anonymiseWithdrawnSeekers, RETENTION_JOB } from './retention.ts';
import { ESCALATION_EVERY_MS, ESCALATION_JOB, publishEscalations } from '../escalations/publish.ts';

type Ctx = ServiceContext<RegistrationDB, RegistrationEnv>;

/** Schedules the daily re-derivation (00:10 Shanghai) and consumes the maintenance queue. */
export async function startMaintenance(ctx: Ctx, workerRedis: Redis): Promise<Closable[]> {
  const name = queueNames.maintenance('registration');
  const queue = new Queue(name, { connection: ctx.redis, prefix: ctx.queuePrefix });
  await queue.upsertJobScheduler(DAILY_HARDSHIP_JOB, { pattern: '10 0 * * *', tz: CITY_TIME_ZONE }, { name: DAILY_HARDSHIP_JOB });
  await queue.upsertJobScheduler(ESCALATION_JOB, { every: ESCALATION_EVERY_MS }, { name: ESCALATION_JOB, opts: { removeOnComplete: 100, removeOnFail: 100 } });
  // Retention: seekers withdrawn longer than RETENTION_WITHDRAWN_DAYS are anonymised (00:40 Shanghai).
  await queue.upsertJobScheduler(RETENTION_JOB, { pattern: '40 0 * * *', tz: CITY_TIME_ZONE }, { name: RETENTION_JOB, opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } } });
  const worker = new Worker(
    name,
    async (job) => {
      if (job.name === RETENTION_JOB) {
        const result = await anonymiseWithdrawnSeekers(ctx);
        ctx.logger.info(result, 'retention: withdrawn seekers anonymised');
        return result;
      }
      if (job.name === ESCALATION_JOB) {
        const escalated = await publishEscalations(ctx.db);
        if (escalated) ctx.logger.info({ escalated }, 'zero-employment households escalated');
        return;
      }
      if (job.name !== DAILY_HARDSHIP_JOB) return;
      const result = await rederiveDailyHardship(ctx, (job.data as { day?: string })?.day ?? cityDate());
      ctx.logger.info(result, 'daily hardship re-derivation');
    },
    { connection: workerRedis, prefix: ctx.queuePrefix, concurrency: 1 },
  );
  worker.on('error', (err) => ctx.logger.warn({ err: err.message }, 'maintenance worker error'));
  return [worker, queue];
}
