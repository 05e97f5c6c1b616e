import { sql, type Kysely, type Migration } from 'kysely';
import type { MessagingTables } from './tables.ts';

/*
 * Retention of the messaging tables. Each call deletes one batch, taking only rows no other
 * transaction holds (SKIP LOCKED), so several workers purge side by side and the relay is never
 * waited on; the condition is checked again on the row deleted. Only a published event and a
 * settled key are ever taken: an unpublished event or a claim in progress stays, however old.
 */

/** Deletes up to `batchSize` events published before `publishedBefore`; returns how many. */
export async function purgePublishedEvents(db: Kysely<MessagingTables>, publishedBefore: Date, batchSize: number): Promise<number> {
  const result = await db
    .deleteFrom('outbox')
    .where('seq', 'in', (eb) =>
      eb.selectFrom('outbox').select('seq').where('published_at', '<', publishedBefore).orderBy('published_at').limit(batchSize).forUpdate().skipLocked(),
    )
    .where('published_at', '<', publishedBefore)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes up to `batchSize` Idempotency-Keys whose answer was stored before `settledBefore`. */
export async function purgeSettledIdempotencyKeys(db: Kysely<MessagingTables>, settledBefore: Date, batchSize: number): Promise<number> {
  const result = await db
    .deleteFrom('idempotency_keys')
    .where((eb) =>
      eb(
        eb.refTuple('caller', 'key'),
        'in',
        eb.selectFrom('idempotency_keys').select(['caller', 'key']).where('completed_at', '<', settledBefore).orderBy('completed_at').limit(batchSize).forUpdate().skipLocked().$asTuple('caller', 'key'),
      ),
    )
    .where('completed_at', '<', settledBefore)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Frozen: the indexes the purges above walk, as of 2026-12-07. Never edit it; add a new migration instead. */
export const messagingRetentionMigration20261207: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`create index outbox_published on outbox (published_at) where published_at is not null`.execute(db);
    await sql`create index idempotency_keys_settled on idempotency_keys (completed_at) where completed_at is not null`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop index idempotency_keys_settled`.execute(db);
    await sql`drop index outbox_published`.execute(db);
  },
};
