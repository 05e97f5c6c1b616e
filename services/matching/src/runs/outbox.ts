import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { eventContracts, type EventPayload, type EventType } from '@reemploy/events';

/**
 * recordEvent for a raw client inside its own transaction: the batch writes
 * its results with COPY on one connection and must commit the event with them.
 */
export async function recordEventOn<T extends EventType>(client: pg.PoolClient, type: T, subject: string, payload: EventPayload<T>): Promise<void> {
  const contract = eventContracts[type];
  const parsed = contract.schema.parse(payload);
  await client.query('insert into outbox (id, type, version, subject, payload) values ($1, $2, $3, $4, $5)', [randomUUID(), type, contract.version, subject, JSON.stringify(parsed)]);
}
