import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { queueNames } from '@reemploy/events';
import type { Closable, ServiceContext } from '@reemploy/runtime';
import type { RegistrationEnv } from '../config.ts';
import type { RegistrationDB } from '../database.ts';
import { DAILY_HARDSHIP_JOB, rederiveDailyHardship } from './daily-hardship.ts';

type Ctx = ServiceContext<RegistrationDB, RegistrationEnv>;

/** The calendar day in the city's time zone: the unit of the once-a-day guard. */
export function shanghaiDay(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Schedules the daily re-derivation (00:10 Shanghai) and consumes the maintenance queue. */
export async function startMaintenance(ctx: Ctx, workerRedis: Redis): Promise<Closable[]> {
  const name = queueNames.maintenance('registration');
  const queue = new Queue(name, { connection: ctx.redis, prefix: ctx.queuePrefix });
  await queue.upsertJobScheduler(DAILY_HARDSHIP_JOB, { pattern: '10 0 * * *', tz: 'Asia/Shanghai' }, { name: DAILY_HARDSHIP_JOB });
  const worker = new Worker(
    name,
    async (job) => {
      if (job.name !== DAILY_HARDSHIP_JOB) return;
      const result = await rederiveDailyHardship(ctx, (job.data as { day?: string })?.day ?? shanghaiDay());
      ctx.logger.info(result, 'daily hardship re-derivation');
    },
    { connection: workerRedis, prefix: ctx.queuePrefix, concurrency: 1 },
  );
  worker.on('error', (err) => ctx.logger.warn({ err: err.message }, 'maintenance worker error'));
  return [worker, queue];
}
