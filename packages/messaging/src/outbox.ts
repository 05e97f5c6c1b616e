import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { eventContracts, type EventPayload, type EventType } from '@reemploy/events';
import type { MessagingTables } from './tables.ts';

/**
 * Records an event in the outbox inside the caller's transaction, so the event
 * exists exactly when the change that causes it commits. Write it after the
 * change: the row lock then orders the outbox sequence per subject.
 */
export async function recordEvent<T extends EventType, DB extends MessagingTables>(
  trx: Transaction<DB> | Kysely<DB>,
  type: T,
  subject: string,
  payload: EventPayload<T>,
): Promise<string> {
  const contract = eventContracts[type];
  const parsed = contract.schema.parse(payload);
  const id = randomUUID();
  await (trx as unknown as Kysely<MessagingTables>)
    .insertInto('outbox')
    .values({ id, type, version: contract.version, subject, payload: JSON.stringify(parsed) })
    .execute();
  return id;
}
