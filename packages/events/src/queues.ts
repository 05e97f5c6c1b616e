import type { ServiceName } from './envelope.ts';

/** Every BullMQ queue of the product, by name. */
export const queueNames = {
  /** One inbox per consuming service; the outbox relay fans events out to them. */
  events: (service: ServiceName) => `events-${service}`,
  /** Scheduled maintenance of a service (daily expiries, re-derivations). */
  maintenance: (service: ServiceName) => `maintenance-${service}`,
  matchingRuns: 'matching-runs',
  matchingPartitions: 'matching-partitions',
} as const;
