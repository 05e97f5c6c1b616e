import { sql, type Kysely } from 'kysely';
import type { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { jobData, queueNames, type ServiceName } from '@reemploy/events';
import { createQueue, createTypedWorker } from '@reemploy/messaging';
import type { PiiCipher } from '@reemploy/pii';
import type { ReceiverPolicy, Resolver } from './address.ts';
import { sendWebhook } from './send.ts';
import { signPayload, SIGNATURE_HEADER } from './signature.ts';
import { secretPlace, type WebhookTables } from './tables.ts';

export interface DispatcherOptions {
  service: ServiceName;
  db: Kysely<WebhookTables>;
  pii: PiiCipher;
  prefix: string;
  logger: Logger;
  /** Attempts before a delivery is marked failed (it stays replayable). */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt up to an hour. */
  baseDelayMs?: number;
  timeoutMs?: number;
  policy: ReceiverPolicy;
  /** Resolves receivers' host names (the system resolver unless a test gives another). */
  resolve?: Resolver;
}

/** Enqueues a dispatch pass for a subscription (after its deliveries committed). */
export async function wakeDispatcher(queue: Queue, subscriptionIds: string[], delayMs = 0): Promise<void> {
  if (subscriptionIds.length === 0) return;
  // Every service's webhook queue has the same jobs.
  const name = queue.name as `webhooks-${ServiceName}`;
  await queue.addBulk(
    subscriptionIds.map((id) => ({ name: 'dispatch', data: jobData(name, 'dispatch', { subscriptionId: id }), opts: { delay: delayMs, removeOnComplete: true, removeOnFail: 1000 } })),
  );
}

/**
 * One pass over a subscription's pending deliveries, oldest first. Per
 * subject, order is kept: once a delivery of a subject is not yet due or
 * fails, later deliveries of that subject wait. An advisory lock makes
 * passes of one subscription run one at a time, across processes.
 */
export async function dispatchPass(options: DispatcherOptions, subscriptionId: string): Promise<{ delivered: number; nextDueInMs: number | null; busy: boolean }> {
  const { db } = options;
  const maxAttempts = options.maxAttempts ?? 15;
  const baseDelay = options.baseDelayMs ?? 1000;
  return db.connection().execute(async (conn) => {
    const lock = await sql<{ locked: boolean }>`select pg_try_advisory_lock(hashtext(${'webhooks:' + subscriptionId})) as locked`.execute(conn);
    if (!lock.rows[0]?.locked) return { delivered: 0, nextDueInMs: null, busy: true };
    try {
      const sub = await conn.selectFrom('webhook_subscriptions').selectAll().where('id', '=', subscriptionId).executeTakeFirst();
      if (!sub || !sub.active) return { delivered: 0, nextDueInMs: null, busy: false };
      const secret = options.pii.decrypt(sub.secret_enc, secretPlace(sub.id));
      const pending = await conn.selectFrom('webhook_deliveries').selectAll().where('subscription_id', '=', subscriptionId).where('status', '=', 'pending').orderBy('seq').orderBy('created_at').limit(200).execute();
      const blocked = new Set<string>();
      let delivered = 0;
      let nextDue: number | null = null;
      for (const d of pending) {
        if (blocked.has(d.subject)) continue;
        const due = new Date(d.next_attempt_at).getTime();
        if (due > Date.now()) {
          blocked.add(d.subject);
          nextDue = nextDue === null ? due : Math.min(nextDue, due);
          continue;
        }
        const attempt = d.attempts + 1;
        const failure = await sendWebhook(
          {
            url: sub.url,
            headers: {
              'content-type': 'application/json',
              [SIGNATURE_HEADER]: signPayload(secret, d.body),
              'reemploy-event-id': d.event_id,
              'reemploy-event-type': d.event_type,
              'reemploy-delivery-id': d.id,
              'reemploy-attempt': String(attempt),
            },
            body: d.body,
          },
          { policy: options.policy, resolve: options.resolve, timeoutMs: options.timeoutMs },
        );
        if (failure === null) {
          await conn.updateTable('webhook_deliveries').set({ status: 'delivered', attempts: attempt, last_failure: null, delivered_at: new Date() }).where('id', '=', d.id).execute();
          delivered++;
          continue;
        }
        blocked.add(d.subject);
        const failed = attempt >= maxAttempts;
        const delay = Math.min(baseDelay * 2 ** (attempt - 1), 3_600_000);
        const next = new Date(Date.now() + delay);
        await conn
          .updateTable('webhook_deliveries')
          .set({ status: failed ? 'failed' : 'pending', attempts: attempt, last_failure: failure, next_attempt_at: next })
          .where('id', '=', d.id)
          .execute();
        if (!failed) nextDue = nextDue === null ? next.getTime() : Math.min(nextDue, next.getTime());
        // The class only: what a receiver said is no one's business here either.
        options.logger.info({ deliveryId: d.id, attempt, failure, failed }, 'webhook delivery failed');
      }
      const more = pending.length === 200 && delivered > 0;
      return { delivered, nextDueInMs: more ? 0 : nextDue === null ? null : Math.max(0, nextDue - Date.now()), busy: false };
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${'webhooks:' + subscriptionId}))`.execute(conn);
    }
  });
}

/** The producer side: the queue a relay and the replay route wake deliveries on. */
export function openWebhookQueue(service: ServiceName, producer: Redis, prefix: string, logger: Logger): Queue {
  return createQueue(queueNames.webhooks(service), producer, prefix, logger);
}

/**
 * The consumer side: a worker running delivery passes for the subscriptions
 * woken on `queue` (started only where workers run).
 */
export function startWebhookDispatcher(options: DispatcherOptions, queue: Queue, workerRedis: Redis): Worker {
  return createTypedWorker(
    queueNames.webhooks(options.service),
    {
      dispatch: async ({ subscriptionId }) => {
        const result = await dispatchPass(options, subscriptionId);
        // A pass already running picks up new work itself only if it has not finished; try again shortly.
        if (result.busy) await wakeDispatcher(queue, [subscriptionId], 200);
        else if (result.nextDueInMs !== null) await wakeDispatcher(queue, [subscriptionId], result.nextDueInMs);
      },
    },
    workerRedis,
    options.prefix,
    options.logger,
    { concurrency: 4 },
  );
}
