import { Queue, Worker, type Processor, type QueueOptions, type WorkerOptions } from 'bullmq';
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
