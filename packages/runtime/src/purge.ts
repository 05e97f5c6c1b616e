import type { Kysely } from 'kysely';
import type { BaseEnv } from '@reemploy/config';
import { PURGE_JOB } from '@reemploy/events';
import { purgePublishedEvents, purgeSettledIdempotencyKeys, type MessagingTables } from '@reemploy/messaging';
import { purgeSettledDeliveries, type WebhookTables } from '@reemploy/webhooks';
import type { MaintenanceJob } from './maintenance.ts';
import type { ServiceContext } from './service.ts';

export { PURGE_JOB };

const HOUR = 3_600_000;

/** Deletes batch after batch until one comes back short; returns how many rows went. */
async function inBatches(deleteBatch: (size: number) => Promise<number>, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch(batchSize);
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

/**
 * Deletes what every service keeps only for a while, each after its own period: events published
 * longer than RETENTION_OUTBOX_DAYS ago, webhook deliveries settled (delivered or failed) longer
 * than RETENTION_WEBHOOK_DELIVERIES_DAYS ago, and Idempotency-Keys answered longer than
 * RETENTION_IDEMPOTENCY_KEYS_HOURS ago. Never an unpublished event, a pending delivery or a key
 * still in progress. Each batch is a statement of its own, so the purge holds no long lock; it is
 * safe to run twice and beside other workers running it.
 */
export async function purgeExpiredRecords<DB extends MessagingTables>(ctx: Pick<ServiceContext<DB, BaseEnv>, 'db' | 'env'>, options: { now?: Date; batchSize?: number } = {}) {
  const now = (options.now ?? new Date()).getTime();
  const batchSize = options.batchSize ?? 1000;
  const messaging = ctx.db as unknown as Kysely<MessagingTables>;
  const webhooks = ctx.db as unknown as Kysely<WebhookTables>;
  const before = (hours: number) => new Date(now - hours * HOUR);
  return {
    outboxEvents: await inBatches((n) => purgePublishedEvents(messaging, before(ctx.env.RETENTION_OUTBOX_DAYS * 24), n), batchSize),
    webhookDeliveries: await inBatches((n) => purgeSettledDeliveries(webhooks, before(ctx.env.RETENTION_WEBHOOK_DELIVERIES_DAYS * 24), n), batchSize),
    idempotencyKeys: await inBatches((n) => purgeSettledIdempotencyKeys(messaging, before(ctx.env.RETENTION_IDEMPOTENCY_KEYS_HOURS), n), batchSize),
  };
}

/** The purge as a maintenance job of every service, hourly (an Idempotency-Key's period is counted in hours). */
export function purgeJob<DB extends MessagingTables>(ctx: Pick<ServiceContext<DB, BaseEnv>, 'db' | 'env' | 'logger'>): MaintenanceJob {
  return {
    name: PURGE_JOB,
    schedule: { pattern: '17 * * * *', tz: 'Asia/Shanghai' },
    opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: 100, removeOnFail: 100 },
    run: async () => {
      const purged = await purgeExpiredRecords(ctx);
      ctx.logger.info(purged, 'expired records purged');
      return purged;
    },
  };
}
