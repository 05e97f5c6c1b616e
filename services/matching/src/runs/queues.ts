import { Queue, type JobsOptions } from 'bullmq';
import { jobData, queueNames, type JobData, type QueueName } from '@reemploy/events';
import type { ServiceContext } from '@reemploy/runtime';

/** A partition job's data (the registry in `@reemploy/events` holds its schema). */
export type PartitionJobData = JobData<'matching-partitions', 'partition'>;

/** The queues of matching runs: its own, beside its events and maintenance (on the queue board and in the metrics). */
export const RUN_QUEUE_NAMES: QueueName[] = [queueNames.matchingRuns, queueNames.matchingPartitions];

export const JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 86_400, count: 5000 },
  removeOnFail: { age: 7 * 86_400 },
};

export interface RunQueues {
  addRun(name: 'plan' | 'finalize', data: { runId: string }, opts: JobsOptions): Promise<void>;
  addPartitions(jobs: { data: PartitionJobData; opts: JobsOptions }[]): Promise<void>;
  /** For tests and inspection. */
  runs(): Queue;
  close(): Promise<void>;
}

/**
 * Producer-side queues over the fail-fast connection: enqueueing with Redis
 * down throws at once. A Queue whose start-up command failed stays failed, so
 * after an error the next enqueue opens a fresh one.
 */
export function openRunQueues(ctx: Pick<ServiceContext, 'redis' | 'queuePrefix' | 'logger'>): RunQueues {
  const open = (name: string) => {
    const q = new Queue(name, { connection: ctx.redis, prefix: ctx.queuePrefix });
    q.on('error', (err) => ctx.logger.debug({ err: err.message }, 'run queue error'));
    return q;
  };
  // Opened on first use, so a start-up stall (e.g. a busy event loop) cannot fail them in advance.
  const queues: Partial<Record<'runs' | 'partitions', Queue>> = {};
  const names = { runs: queueNames.matchingRuns, partitions: queueNames.matchingPartitions };
  const get = (which: 'runs' | 'partitions') => (queues[which] ??= open(names[which]));
  async function withQueue(which: 'runs' | 'partitions', fn: (q: Queue) => Promise<unknown>) {
    try {
      await fn(get(which));
    } catch (err) {
      queues[which]?.close().catch(() => undefined);
      delete queues[which];
      throw err;
    }
  }
  return {
    addRun: (name, data, opts) => withQueue('runs', (q) => q.add(name, jobData(queueNames.matchingRuns, name, data), opts)),
    addPartitions: (jobs) => withQueue('partitions', (q) => q.addBulk(jobs.map((j) => ({ name: 'partition', data: jobData(queueNames.matchingPartitions, 'partition', j.data), opts: j.opts })))),
    runs: () => get('runs'),
    async close() {
      await Promise.all(Object.values(queues).map((q) => q.close()));
    },
  };
}

/** BullMQ ids may not contain ':'; these are deterministic so a retried enqueue is a no-op. */
export const finalizeJobId = (runId: string) => `finalize_${runId}`;
export const planJobId = (runId: string) => `plan_${runId}`;
export const partitionJobId = (runId: string, key: string) => `part_${runId}_${key.replaceAll('.', '_')}`;
