import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { CITY_TIME_ZONE } from '@reemploy/domain';
import { queueNames } from '@reemploy/events';
import { purgeJob, startMaintenanceWorker, type Closable } from '@reemploy/runtime';
import { matchingMetrics, metricsRegistryOf } from '@reemploy/runtime/queue-metrics';
import type { MatchingContext } from '../context.ts';
import { expireReferrals } from '../referrals/service.ts';
import { computePartition, finalizeRun, planRun, startNightlyRun } from './batch.ts';
import { openRunQueues, type PartitionJobData } from './queues.ts';
import { markFailed } from './repository.ts';


/**
 * The batch's consumers (plan/finalize, partitions) and the scheduler of the
 * nightly run. Every processor is idempotent: BullMQ delivers at least once.
 */
export async function startMatchingWorkers(ctx: MatchingContext, workerRedis: Redis): Promise<Closable[]> {
  const queues = openRunQueues(ctx);
  const opts = { connection: workerRedis, prefix: ctx.queuePrefix };
  const failRunAfterLastAttempt = (job: Job | undefined, err: Error) => {
    ctx.logger.warn({ job: job?.name, runId: job?.data?.runId, err: err.message }, 'matching job failed');
    if (job?.data?.runId && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      markFailed(ctx.db, job.data.runId, `${job.name}: ${err.message}`)
        .then((run) => {
          if (!run?.finished_at) return;
          const seconds = (run.finished_at.getTime() - (run.started_at ?? run.created_at).getTime()) / 1000;
          matchingMetrics(metricsRegistryOf(ctx)).runDuration.observe({ trigger: run.trigger, outcome: 'failed' }, seconds);
        })
        .catch(() => undefined);
    }
  };

  const runs = new Worker(
    queueNames.matchingRuns,
    async (job: Job) => {
      if (job.name === 'plan') return planRun(ctx, queues, job.data.runId);
      if (job.name === 'finalize') return finalizeRun(ctx, job.data.runId);
      if (job.name === 'nightly') return startNightlyRun(ctx, queues, new Date(job.timestamp));
      throw new Error(`unknown job ${job.name}`);
    },
    { ...opts, concurrency: 1 },
  );
  const partitions = new Worker(
    queueNames.matchingPartitions,
    async (job: Job<PartitionJobData>) => computePartition(ctx, queues, job.data.runId, job.data.partitionKey),
    // A partition is minutes of CPU at most: keep the lock alive while the event loop is busy.
    { ...opts, concurrency: ctx.env.MATCHING_WORKER_CONCURRENCY, lockDuration: 120_000 },
  );
  for (const w of [runs, partitions]) {
    w.on('failed', failRunAfterLastAttempt);
    w.on('error', (err) => ctx.logger.warn({ err: err.message }, 'matching worker error'));
  }
  const schedulerQueue = new Queue(queueNames.matchingRuns, opts);
  await schedulerQueue.upsertJobScheduler('nightly-matching', { pattern: ctx.env.MATCHING_NIGHTLY_CRON, tz: CITY_TIME_ZONE }, { name: 'nightly', data: {}, opts: { attempts: 3, backoff: { type: 'exponential', delay: 5000 } } });

  return [
    {
      workers: [runs, partitions],
      async close() {
        await Promise.all([runs.close(), partitions.close()]);
        await Promise.all([schedulerQueue.close(), queues.close()]);
      },
    },
  ];
}

/** The daily referral expiry (03:30 Shanghai) and the purge, on matching's maintenance queue. */
export function startMatchingMaintenance(ctx: MatchingContext, workerRedis: Redis): Promise<Closable[]> {
  return startMaintenanceWorker(ctx, workerRedis, [
    { name: 'expire-referrals', schedule: { pattern: '30 3 * * *', tz: CITY_TIME_ZONE }, opts: { attempts: 3 }, run: async () => ({ expired: await expireReferrals(ctx) }) },
    purgeJob(ctx),
  ]);
}
