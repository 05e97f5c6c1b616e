import { sql, type Kysely, type Migration } from 'kysely';
import type { WebhookTables } from './tables.ts';

/** The statuses a delivery ends in: only these are ever purged (a pending one is still to be sent). */
const SETTLED = ['delivered', 'failed'];

/**
 * When a settled delivery last changed: delivered at `delivered_at`; failed after the attempt that
 * set its (unused) `next_attempt_at`. A replay sets `next_attempt_at` to now, so a delivery replayed
 * and failed again counts from then, not from an older `delivered_at`.
 */
const settledAt = sql<Date>`greatest(delivered_at, next_attempt_at)`;

/**
 * Deletes up to `batchSize` deliveries settled before `settledBefore` (their bodies carry the
 * events' data); returns how many. Rows another transaction holds are skipped (SKIP LOCKED), so a
 * replay in progress wins and several workers purge side by side.
 */
export async function purgeSettledDeliveries(db: Kysely<WebhookTables>, settledBefore: Date, batchSize: number): Promise<number> {
  const result = await db
    .deleteFrom('webhook_deliveries')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('status', 'in', SETTLED)
        .where(settledAt, '<', settledBefore)
        .orderBy(settledAt)
        .limit(batchSize)
        .forUpdate()
        .skipLocked(),
    )
    .where('status', 'in', SETTLED)
    .where(settledAt, '<', settledBefore)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Frozen: the index the purge above walks, as of 2026-12-07. Never edit it; add a new migration instead. */
export const webhooksRetentionMigration20261207: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create index webhook_deliveries_settled on webhook_deliveries ((greatest(delivered_at, next_attempt_at))) where status in ('delivered', 'failed')`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop index webhook_deliveries_settled`.execute(db);
  },
};
