import type { Kysely, Transaction } from 'kysely';
import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { envelopeSchema, eventContracts, eventsConsumedBy, jobSchema, queueNames, type Envelope, type EventPayload, type EventType, type ServiceName } from '@reemploy/events';
import type { MessagingTables } from './tables.ts';
import { createWorker, unknownJob } from './queue.ts';
import { verifyRelayed, type RefusalReason, type SigningKeys } from './signature.ts';

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
  /** An event's signature must verify with one of these (EVENT_SIGNING_KEY and the retired keys). */
  signingKeys: SigningKeys;
  /** Called for each job refused for its signature (for a metric). */
  onRefused?: (reason: RefusalReason) => void;
  concurrency?: number;
}

const REFUSALS: Record<RefusalReason, string> = {
  unsigned: 'event refused: it carries no outbox relay signature',
  'bad-signature': 'event refused: its outbox relay signature does not verify',
};

/**
 * Applies one event exactly once: the inbox row and the handler's changes
 * commit together, so a redelivered event finds its id and changes nothing.
 * Returns false when the event had already been applied. The caller vouches
 * for the envelope: the event consumer passes only those a relay signed.
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

/**
 * Applies the events on the service's queue that an outbox relay signed. A job
 * put there any other way (a queue dashboard, anyone with Redis access) fails
 * at once, without retries: its payload is neither applied nor logged.
 */
export function startEventConsumer<DB extends MessagingTables>(options: ConsumerOptions<DB>): Worker {
  const { logger } = options;
  const queue = queueNames.events(options.service);
  // The routing in the contracts and the service's handlers must agree: an event routed here and not handled would be dropped.
  const routed = eventsConsumedBy(options.service).sort();
  const handled = (Object.keys(options.handlers) as EventType[]).sort();
  if (routed.join() !== handled.join()) throw new Error(`${options.service}: events routed to it [${routed.join(', ')}], handled [${handled.join(', ')}]`);
  return createWorker(
    queue,
    async (job: Job) => {
      if (!jobSchema(queue, job.name)) throw unknownJob(queue, job.name);
      const relayed = verifyRelayed(options.signingKeys, job.data);
      if ('refused' in relayed) {
        logger.warn({ jobId: job.id, type: job.name, queue, reason: relayed.refused }, 'event refused: not signed by an outbox relay');
        options.onRefused?.(relayed.refused);
        throw new UnrecoverableError(REFUSALS[relayed.refused]);
      }
      if (relayed.envelope.type !== job.name) throw new UnrecoverableError(`event ${relayed.envelope.id} travels as ${job.name} but is ${relayed.envelope.type}`);
      const applied = await applyEvent(options.db, options.handlers, relayed.envelope);
      logger.debug({ eventId: job.id, type: job.name, applied }, 'event consumed');
    },
    options.redis,
    options.prefix,
    logger,
    { concurrency: options.concurrency ?? 8 },
  );
}
