import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { CITY_TIME_ZONE } from '@reemploy/domain';
import { queueNames } from '@reemploy/events';
import { typedProcessor } from '@reemploy/messaging';
import { purgeJob, startMaintenanceWorker, type Closable } from '@reemploy/runtime';
import { metricsRegistryOf } from '@reemploy/runtime/queue-metrics';
import { matchingMetrics } from '../metrics.ts';
import type { MatchingContext } from '../context.ts';
import { expireReferrals } from '../referrals/service.ts';
import { computePartition, finalizeRun, planRun, startNightlyRun } from './batch.ts';
import { openRunQueues } from './queues.ts';
import { markFailed } from './repository.ts';


const runRef = z.object({ runId: z.uuid() });
const runIdOf = (data: unknown): string | undefined => runRef.safeParse(data).data?.runId;

/**
 * The batch's consumers (plan/finalize, partitions) and the scheduler of the
 * nightly run. Every processor is idempotent: BullMQ delivers at least once.
 */
export async function startMatchingWorkers(ctx: MatchingContext, workerRedis: Redis): Promise<Closable[]> {
  const queues = openRunQueues(ctx);
  const opts = { connection: workerRedis, prefix: ctx.queuePrefix };
  const failRunAfterLastAttempt = (job: Job | undefined, err: Error) => {
    // A job of the run queues names its run (nightly names none yet); a forged one may name anything.
    const runId = runIdOf(job?.data);
    ctx.logger.warn({ job: job?.name, runId, err: err.message }, 'matching job failed');
    if (job && runId && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      markFailed(ctx.db, runId, `${job.name}: ${err.message}`)
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
    typedProcessor(queueNames.matchingRuns, {
      plan: ({ runId }) => planRun(ctx, queues, runId),
      finalize: ({ runId }) => finalizeRun(ctx, runId),
      nightly: (_data, job) => startNightlyRun(ctx, queues, new Date(job.timestamp)),
    }),
    { ...opts, concurrency: 1 },
  );
  const partitions = new Worker(
    queueNames.matchingPartitions,
    typedProcessor(queueNames.matchingPartitions, { partition: ({ runId, partitionKey }) => computePartition(ctx, queues, runId, partitionKey) }),
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
