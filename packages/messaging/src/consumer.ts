import type { Kysely, Transaction } from 'kysely';
import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { envelopeSchema, eventContracts, queueNames, type Envelope, type EventPayload, type EventType, type ServiceName } from '@reemploy/events';
import type { MessagingTables } from './tables.ts';
import { createWorker } from './queue.ts';

export type EventHandler<DB, T extends EventType> = (trx: Transaction<DB>, payload: EventPayload<T>, envelope: Envelope) => Promise<void>;

export type EventHandlers<DB> = { [T in EventType]?: EventHandler<DB, T> };

export interface ConsumerOptions<DB extends MessagingTables> {
  service: ServiceName;
  db: Kysely<DB>;
  /** A worker connection (maxRetriesPerRequest null); the caller closes it. */
  redis: Redis;
  prefix: string;
  logger: Logger;
  handlers: EventHandlers<DB>;
  concurrency?: number;
}

/**
 * Applies one event exactly once: the inbox row and the handler's changes
 * commit together, so a redelivered event finds its id and changes nothing.
 * Returns false when the event had already been applied.
 */
export async function applyEvent<DB extends MessagingTables>(db: Kysely<DB>, handlers: EventHandlers<DB>, raw: unknown): Promise<boolean> {
  const parsed = envelopeSchema.safeParse(raw);
  if (!parsed.success) throw new UnrecoverableError(`malformed event envelope: ${parsed.error.issues[0]?.message}`);
  const envelope = parsed.data;
  const type = envelope.type as EventType;
  const handler = handlers[type] as EventHandler<DB, EventType> | undefined;
  if (!handler) return false;
  const payload = eventContracts[type].schema.safeParse(envelope.payload);
  if (!payload.success) throw new UnrecoverableError(`event ${envelope.id} (${type}) has an invalid payload`);
  const mdb = db as unknown as Kysely<MessagingTables>;
  return mdb.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('inbox')
      .values({ event_id: envelope.id, type })
      .onConflict((oc) => oc.column('event_id').doNothing())
      .returning('event_id')
      .executeTakeFirst();
    if (!inserted) return false;
    await handler(trx as unknown as Transaction<DB>, payload.data as EventPayload<EventType>, envelope);
    return true;
  });
}

export function startEventConsumer<DB extends MessagingTables>(options: ConsumerOptions<DB>): Worker {
  const { logger } = options;
  return createWorker(
    queueNames.events(options.service),
    async (job: Job) => {
      const applied = await applyEvent(options.db, options.handlers, job.data);
      logger.debug({ eventId: job.id, type: job.name, applied }, 'event consumed');
    },
    options.redis,
    options.prefix,
    logger,
    { concurrency: options.concurrency ?? 8 },
  );
}
