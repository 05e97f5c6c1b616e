import { Queue, UnrecoverableError, Worker, type Job, type JobsOptions, type Processor, type QueueOptions, type WorkerOptions } from 'bullmq';
import { jobData, jobSchema, type JobData, type JobName, type QueueName } from '@reemploy/events';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * A BullMQ queue whose connection errors are logged: BullMQ throws (and prints)
 * when an 'error' event has no listener, e.g. while Redis restarts.
 */
export function createQueue<T = unknown>(name: string, connection: Redis, prefix: string, logger: Logger, options: Omit<QueueOptions, 'connection' | 'prefix'> = {}): Queue<T> {
  const queue = new Queue<T>(name, { ...options, connection, prefix });
  queue.on('error', (err) => logger.warn({ err: err.message, queue: name }, 'queue connection error'));
  return queue;
}

/** A BullMQ worker with its errors and failures logged. */
export function createWorker<T = unknown>(name: string, processor: Processor<T>, connection: Redis, prefix: string, logger: Logger, options: Omit<WorkerOptions, 'connection' | 'prefix'> = {}): Worker<T> {
  const worker = new Worker<T>(name, processor, { ...options, connection, prefix });
  worker.on('error', (err) => logger.warn({ err: err.message, queue: name }, 'worker connection error'));
  worker.on('failed', (job, err) => logger.warn({ jobId: job?.id, queue: name, err: err.message }, 'job failed'));
  return worker;
}

/** The failure of a job whose name its queue does not have: at once, without retries. */
export function unknownJob(queue: QueueName, name: string): UnrecoverableError {
  return new UnrecoverableError(`queue ${queue} has no job named ${JSON.stringify(name.slice(0, 80))}`);
}

/** What a queue's consumer does with each of its jobs, by name, given the job's checked data. */
export type JobHandlers<Q extends QueueName> = { [N in JobName<Q>]: (data: JobData<Q, N>, job: Job) => Promise<unknown> };

/**
 * The processor of a queue of the registry (`@reemploy/events` jobs.ts): a job
 * whose name the queue does not have, or whose data fails its schema, fails at
 * once without retries (and without its data in the message); every other job
 * goes to its handler with the parsed data.
 */
export function typedProcessor<Q extends QueueName>(queue: Q, handlers: JobHandlers<Q>): Processor {
  const byName = handlers as Record<string, (data: unknown, job: Job) => Promise<unknown>>;
  return async (job: Job) => {
    const schema = jobSchema(queue, job.name);
    const handler = Object.hasOwn(byName, job.name) ? byName[job.name] : undefined;
    if (!schema || !handler) throw unknownJob(queue, job.name);
    const parsed = schema.safeParse(job.data);
    if (!parsed.success) {
      const where = parsed.error.issues.map((issue) => issue.path.join('.') || '(data)').join(', ');
      throw new UnrecoverableError(`job ${job.name} on ${queue} has invalid data at ${where}`);
    }
    return handler(parsed.data, job);
  };
}

/** A worker on a queue of the registry, processing its jobs through `typedProcessor`. */
export function createTypedWorker<Q extends QueueName>(
  queue: Q,
  handlers: JobHandlers<Q>,
  connection: Redis,
  prefix: string,
  logger: Logger,
  options: Omit<WorkerOptions, 'connection' | 'prefix'> = {},
): Worker {
  return createWorker(queue, typedProcessor(queue, handlers), connection, prefix, logger, options);
}

/** Adds one job of the registry, its data checked against the job's schema first. */
export async function addJob<Q extends QueueName, N extends JobName<Q>>(queue: Queue, name: N, data: JobData<Q, N>, opts?: JobsOptions): Promise<Job> {
  return queue.add(name, jobData(queue.name as Q, name, data), opts);
}
