import { sql, type ColumnType, type Kysely, type Migration } from 'kysely';
import type { PiiPlace } from '@reemploy/pii';

/** Where a subscription's secret is stored: its ciphertext decrypts there alone. */
export function secretPlace(subscriptionId: string): PiiPlace {
  return { table: 'webhook_subscriptions', column: 'secret_enc', row: subscriptionId };
}

export interface WebhookSubscriptionTable {
  id: string;
  owner: string;
  url: string;
  secret_enc: string;
  event_types: string[];
  /** The owner's token as it was at subscription: each delivery must lie inside these. */
  regions: string[];
  aid_base: string | null;
  scopes: string[];
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface WebhookDeliveryTable {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  subject: string;
  seq: number;
  body: string;
  status: string;
  attempts: number;
  /** A FailureClass: never the receiver's own words or status. */
  last_failure: string | null;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  delivered_at: Date | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface WebhookTables {
  webhook_subscriptions: WebhookSubscriptionTable;
  webhook_deliveries: WebhookDeliveryTable;
}

/**
 * Frozen: a subscription keeps its owner's regions, aid base and scopes, and a
 * delivery records only the class of its failure (2026-12-07). Subscriptions
 * made before knew none of these and could receive the whole city's events:
 * they are switched off and must be made again by a token with the regions
 * they should see. What the old rows stored beyond ids (the events' data, the
 * receivers' status and error text) is dropped.
 */
export const webhooksMigration20261207: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('webhook_subscriptions')
      .addColumn('regions', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
      .addColumn('aid_base', 'uuid')
      .addColumn('scopes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
      .execute();
    await sql`update webhook_subscriptions set active = false`.execute(db);
    await db.schema.alterTable('webhook_deliveries').addColumn('last_failure', 'text').dropColumn('last_status').dropColumn('last_error').execute();
    await sql`update webhook_deliveries set body = (body::jsonb - 'data')::text`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('webhook_deliveries').dropColumn('last_failure').addColumn('last_status', 'integer').addColumn('last_error', 'text').execute();
    await db.schema.alterTable('webhook_subscriptions').dropColumn('regions').dropColumn('aid_base').dropColumn('scopes').execute();
  },
};

/** Frozen: webhook subscriptions and their delivery log, as of 2026-11-29. */
export const webhooksMigration20261129: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('webhook_subscriptions')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('secret_enc', 'text', (c) => c.notNull())
      .addColumn('event_types', sql`text[]`, (c) => c.notNull())
      .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('subscription_id', 'uuid', (c) => c.notNull().references('webhook_subscriptions.id').onDelete('cascade'))
      .addColumn('event_id', 'uuid', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('delivered_at', 'timestamptz')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addUniqueConstraint('webhook_deliveries_once', ['subscription_id', 'event_id'])
      .execute();
    await sql`create index webhook_deliveries_pending on webhook_deliveries (subscription_id, seq) where status = 'pending'`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('webhook_deliveries').execute();
    await db.schema.dropTable('webhook_subscriptions').execute();
  },
};
