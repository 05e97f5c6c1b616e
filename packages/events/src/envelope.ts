import { z } from 'zod';

export const SERVICES = ['registration', 'job-postings', 'matching', 'assistance-bases'] as const;
export type ServiceName = (typeof SERVICES)[number];

/**
 * What travels on the queue: the outbox row. `seq` is the producer's outbox
 * sequence, increasing per producer, so a projection can ignore an older
 * snapshot that arrives after a newer one.
 */
export const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.string(),
  version: z.number().int().min(1),
  producer: z.enum(SERVICES),
  seq: z.number().int().min(0),
  subject: z.string(),
  occurredAt: z.iso.datetime({ offset: true }),
  payload: z.unknown(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

/**
 * What a consumer's queue holds: the envelope and the relay's signature over
 * it (HMAC-SHA256, see @reemploy/messaging signature.ts). Whoever can write to
 * Redis can add a job; only the relay holds the key that makes it an event.
 */
export const relayedEnvelopeSchema = envelopeSchema.extend({ signature: z.string().min(1) });
export type RelayedEnvelope = z.infer<typeof relayedEnvelopeSchema>;
