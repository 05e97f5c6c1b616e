import type { ColumnType, Generated } from 'kysely';

/** The tables every service has for messaging and safe retries (see migration.ts). */
export interface OutboxTable {
  seq: Generated<number>;
  id: string;
  type: string;
  version: number;
  subject: string;
  payload: ColumnType<unknown, string, string>;
  occurred_at: ColumnType<Date, Date | string | undefined, never>;
  published_at: Date | null;
}

export interface InboxTable {
  event_id: string;
  type: string;
  applied_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface IdempotencyKeyTable {
  caller: string;
  key: string;
  request_hash: string;
  status: number | null;
  response: ColumnType<unknown, string | null | undefined, string | null>;
  /** When the key was claimed; set again when a retry takes over a claim left unsettled (http-kit idempotency.ts). */
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  completed_at: Date | null;
}

export interface MessagingTables {
  outbox: OutboxTable;
  inbox: InboxTable;
  idempotency_keys: IdempotencyKeyTable;
}
