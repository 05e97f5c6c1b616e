import type { Kysely, Transaction } from 'kysely';
import type pg from 'pg';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { eventContracts, isEventType, queueNames, type Envelope, type RelayedEnvelope, type ServiceName } from '@reemploy/events';
import type { MessagingTables } from './tables.ts';
import { createQueue } from './queue.ts';
import { signEnvelope } from './signature.ts';

export interface RelayOptions<DB extends MessagingTables = MessagingTables> {
  service: ServiceName;
  db: Kysely<DB>;
  pool: pg.Pool;
  schema: string;
  /** A producer connection (fails fast); the caller closes it. */
  redis: Redis;
  prefix: string;
  logger: Logger;
  /** EVENT_SIGNING_KEY: every published envelope carries its signature, which consumers check. */
  signingKey: Buffer;
  batchSize?: number;
  pollMs?: number;
  /**
   * Runs in the relay's transaction after a batch is published (e.g. to record
   * webhook deliveries); what it returns runs after the commit.
   */
  onPublished?: (trx: Transaction<MessagingTables>, envelopes: Envelope[]) => Promise<void | (() => Promise<void>)>;
  /** Test hook: runs after publishing a batch and before marking it published. */
  afterPublish?: (seqs: number[]) => Promise<void> | void;
}

export interface OutboxRelay {
  /** Publishes everything pending now; resolves with how many events went out. */
  flush(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Moves committed outbox rows to the consumers' queues, each envelope signed
 * (consumers apply nothing else). The event id is the
 * job id, so publishing twice (a crash between publish and mark) is absorbed
 * by BullMQ while the job is retained and by the consumer's inbox after that.
 */
export function startOutboxRelay<DB extends MessagingTables>(options: RelayOptions<DB>): OutboxRelay {
  const { pool, redis, prefix, logger, schema } = options;
  const db = options.db as unknown as Kysely<MessagingTables>;
  const batchSize = options.batchSize ?? 500;
  const queues = new Map<ServiceName, Queue>();
  const queueFor = (consumer: ServiceName) => {
    let q = queues.get(consumer);
    if (!q) {
      q = createQueue(queueNames.events(consumer), redis, prefix, logger);
      queues.set(consumer, q);
    }
    return q;
  };

  let stopped = false;
  let running: Promise<number> | null = null;
  let again = false;
  let listener: pg.PoolClient | null = null;
  let backoffMs = 0;

  async function publishBatch(): Promise<number> {
    let afterCommit: (() => Promise<void>) | undefined;
    const published = await db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('outbox')
        .selectAll()
        .where('published_at', 'is', null)
        .orderBy('seq')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      if (rows.length === 0) return 0;
      const byConsumer = new Map<ServiceName, Envelope[]>();
      const all: Envelope[] = [];
      for (const row of rows) {
        if (!isEventType(row.type)) continue;
        const envelope: Envelope = {
          id: row.id,
          type: row.type,
          version: row.version,
          producer: options.service,
          seq: row.seq,
          subject: row.subject,
          occurredAt: row.occurred_at.toISOString(),
          payload: row.payload,
        };
        all.push(envelope);
        for (const consumer of eventContracts[row.type].consumers) {
          const list = byConsumer.get(consumer) ?? [];
          list.push(envelope);
          byConsumer.set(consumer, list);
        }
      }
      for (const [consumer, envelopes] of byConsumer) {
        await queueFor(consumer).addBulk(
          envelopes.map((e) => ({
            name: e.type,
            data: { ...e, signature: signEnvelope(options.signingKey, e) } satisfies RelayedEnvelope,
            opts: {
              jobId: e.id,
              attempts: 10,
              backoff: { type: 'exponential', delay: 500 },
              removeOnComplete: { age: 24 * 3600, count: 50_000 },
              removeOnFail: { age: 14 * 24 * 3600 },
            },
          })),
        );
      }
      const seqs = rows.map((r) => r.seq);
      await options.afterPublish?.(seqs);
      await trx.updateTable('outbox').set({ published_at: new Date() }).where('seq', 'in', seqs).execute();
      afterCommit = (await options.onPublished?.(trx, all)) ?? undefined;
      return rows.length;
    });
    if (afterCommit) await afterCommit();
    return published;
  }

  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await publishBatch();
      total += n;
      if (n < batchSize) return total;
    }
  }

  function flush(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      try {
        do {
          again = false;
          total += await drain();
        } while (again && !stopped);
        backoffMs = 0;
      } catch (err) {
        backoffMs = Math.min(backoffMs ? backoffMs * 2 : 250, 5000);
        logger.warn({ err: (err as Error).message, retryInMs: backoffMs }, 'outbox relay could not publish; will retry');
      } finally {
        running = null;
      }
      return total;
    })();
    return running;
  }

  async function listen() {
    try {
      listener = await pool.connect();
      listener.on('notification', () => void flush());
      listener.on('error', () => {
        listener?.release(true);
        listener = null;
      });
      await listener.query(`listen "outbox_${schema}"`);
    } catch {
      listener?.release(true);
      listener = null;
    }
  }

  const pollMs = options.pollMs ?? 1000;
  let timer: NodeJS.Timeout | null = null;
  const tick = async () => {
    if (stopped) return;
    if (!listener) await listen();
    await flush();
    if (!stopped) timer = setTimeout(tick, Math.max(pollMs, backoffMs));
  };
  void tick();

  return {
    flush,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      if (listener) {
        try {
          await listener.query(`unlisten "outbox_${schema}"`);
        } catch {
          /* connection already gone */
        }
        listener.release();
        listener = null;
      }
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
