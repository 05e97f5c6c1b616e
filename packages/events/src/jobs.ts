import { z } from 'zod';
import { eventsConsumedBy, type EventType } from './contracts.ts';
import { relayedEnvelopeSchema, SERVICES, type ServiceName } from './envelope.ts';

/**
 * Every BullMQ queue of the product, each with its jobs: the job's name and the
 * zod schema of its data. Producers add jobs through `jobData` and consumers
 * process them through `@reemploy/messaging`'s `typedProcessor`, which refuses
 * a name the queue does not have and data its schema rejects, in every service
 * alike. Event queues carry one job per event type routed to the service (the
 * job's name is the type, its data the relay-signed envelope).
 */

/** Jobs a scheduler starts carry no data (BullMQ gives them `{}`, older ones nothing). */
const noData = z.preprocess((v) => v ?? {}, z.object({}).strict());
const runRef = z.object({ runId: z.uuid() }).strict();

/** The hourly purge every service runs (`@reemploy/runtime` purge.ts). */
export const PURGE_JOB = 'purge-expired-records';

const maintenanceJobs = {
  registration: {
    /** The daily re-derivation of time-dependent hardship (00:10 Shanghai); `day` for a catch-up. */
    'hardship-daily': z.preprocess((v) => v ?? {}, z.object({ day: z.iso.date().optional() }).strict()),
    /** Zero-employment households whose offer deadline passed (every minute). */
    'escalate-overdue-households': noData,
    /** Anonymising seekers withdrawn longer than the retention period (00:40 Shanghai). */
    'retention-daily': noData,
    [PURGE_JOB]: noData,
  },
  'job-postings': {
    /** Expiring vacancies past validUntil, unpublishing stale ones. */
    'vacancy-maintenance': noData,
    [PURGE_JOB]: noData,
  },
  matching: {
    /** Referrals left unanswered (03:30 Shanghai). */
    'expire-referrals': noData,
    [PURGE_JOB]: noData,
  },
  'assistance-bases': {
    [PURGE_JOB]: noData,
  },
} as const satisfies Record<ServiceName, Record<string, z.ZodType>>;

const webhookJobs = {
  /** One delivery pass over a subscription's pending deliveries. */
  dispatch: z.object({ subscriptionId: z.uuid() }).strict(),
} as const;

const matchingJobs = {
  'matching-runs': { plan: runRef, finalize: runRef, nightly: noData },
  'matching-partitions': { partition: z.object({ runId: z.uuid(), partitionKey: z.string().min(1) }).strict() },
} as const;

type EventJobs = { readonly [T in EventType]?: typeof relayedEnvelopeSchema };

function eventJobs(service: ServiceName): EventJobs {
  return Object.fromEntries(eventsConsumedBy(service).map((type) => [type, relayedEnvelopeSchema]));
}

/** Every queue of the product, by name. */
export const queueNames = {
  /** One inbox per consuming service; the outbox relay fans events out to them. */
  events: (service: ServiceName) => `events-${service}` as const,
  /** Scheduled maintenance of a service (daily expiries, re-derivations, the purge). */
  maintenance: (service: ServiceName) => `maintenance-${service}` as const,
  /** Webhook deliveries of a service that publishes events. */
  webhooks: (service: ServiceName) => `webhooks-${service}` as const,
  matchingRuns: 'matching-runs',
  matchingPartitions: 'matching-partitions',
} as const;

type Registry = {
  [S in ServiceName as `events-${S}`]: EventJobs;
} & {
  [S in ServiceName as `maintenance-${S}`]: (typeof maintenanceJobs)[S];
} & {
  [S in ServiceName as `webhooks-${S}`]: typeof webhookJobs;
} & typeof matchingJobs;

function buildRegistry(): Registry {
  const entries: [string, Record<string, z.ZodType>][] = [];
  for (const service of SERVICES) {
    entries.push([queueNames.events(service), eventJobs(service) as Record<string, z.ZodType>]);
    entries.push([queueNames.maintenance(service), maintenanceJobs[service]]);
    entries.push([queueNames.webhooks(service), webhookJobs]);
  }
  entries.push(...Object.entries(matchingJobs));
  return Object.fromEntries(entries) as Registry;
}

/** The registry: queue name → job name → schema of the job's data. */
export const jobRegistry: Registry = buildRegistry();

export type QueueName = keyof Registry;
export type JobName<Q extends QueueName> = Extract<keyof Registry[Q], string>;
export type JobData<Q extends QueueName, N extends JobName<Q>> = Registry[Q][N] extends z.ZodType ? z.output<Registry[Q][N]> : never;

/** The schema of a job's data, or undefined when the queue has no job of that name. */
export function jobSchema(queue: QueueName, name: string): z.ZodType | undefined {
  const jobs = jobRegistry[queue] as Record<string, z.ZodType>;
  return Object.hasOwn(jobs, name) ? jobs[name] : undefined;
}

/**
 * A job's data checked against its schema before it is enqueued: a producer
 * cannot put on a queue what its consumer would refuse.
 */
export function jobData<Q extends QueueName, N extends JobName<Q>>(queue: Q, name: N, data: JobData<Q, N>): JobData<Q, N> {
  const schema = jobSchema(queue, name);
  if (!schema) throw new Error(`queue ${queue} has no job ${name}`);
  return schema.parse(data) as JobData<Q, N>;
}
