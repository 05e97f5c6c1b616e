import { z } from 'zod';
import {
  EDUCATION_LEVELS,
  GENDERS,
  HARDSHIP_CATEGORIES,
  RETIREMENT_SCHEMES,
  SEEKER_STATUSES,
  VACANCY_KINDS,
  VACANCY_SOURCES,
  VACANCY_STATUSES,
} from '@reemploy/domain';
import type { ServiceName } from './envelope.ts';

const categories = z.array(z.enum(HARDSHIP_CATEGORIES));
const regionCode = z.string().regex(/^\d{2,12}$/);

/** Everything matching needs to know about a seeker: a full snapshot, never a diff. */
export const seekerSnapshot = z.object({
  seekerId: z.uuid(),
  householdId: z.uuid().nullable(),
  communityCode: regionCode,
  gender: z.enum(GENDERS),
  birthDate: z.iso.date(),
  /** With the birth date, the statutory retirement date. Absent from snapshots published before it existed: take the gender's default scheme. */
  retirementScheme: z.enum(RETIREMENT_SCHEMES).optional(),
  education: z.enum(EDUCATION_LEVELS),
  skills: z.array(z.string()),
  desiredOccupations: z.array(z.string()),
  expectedMonthlyWage: z.number().int().nullable(),
  ableToWork: z.boolean(),
  willingToWork: z.boolean(),
  status: z.enum(SEEKER_STATUSES),
  /** When the present status took effect (absent from events published before 2026-12-07). */
  statusSince: z.iso.datetime({ offset: true }).nullable().optional(),
  hardshipCategories: categories,
});

/**
 * A seeker withdrawn longer than the retention period was anonymised at
 * registration: consumers forget what they hold about the person (matching
 * drops its projection row); the id stays only as a key of history.
 */
export const seekerAnonymised = z.object({
  seekerId: z.uuid(),
  at: z.iso.datetime({ offset: true }),
});

/**
 * The people a bulk import registered, up to 1,000 per event (each exactly as
 * seeker.registered would carry it): one event instead of a thousand.
 */
export const seekersImported = z.object({
  seekers: z.array(seekerSnapshot).min(1).max(1000),
});

export const vacancySnapshot = z.object({
  vacancyId: z.uuid(),
  employerId: z.uuid(),
  title: z.string(),
  occupationCode: z.string(),
  skills: z.array(z.string()),
  minAge: z.number().int(),
  maxAge: z.number().int(),
  educationMin: z.enum(EDUCATION_LEVELS),
  wageMin: z.number().int(),
  wageMax: z.number().int(),
  headcount: z.number().int(),
  headcountLeft: z.number().int(),
  communityCode: regionCode,
  kind: z.enum(VACANCY_KINDS),
  source: z.enum(VACANCY_SOURCES),
  reservedFor: categories,
  status: z.enum(VACANCY_STATUSES),
  validUntil: z.iso.datetime({ offset: true }),
});

export const reservedPostSnapshot = z.object({
  reservedPostId: z.uuid(),
  aidBaseId: z.uuid(),
  vacancyId: z.uuid(),
  reservedFor: categories,
  quota: z.number().int(),
  filled: z.number().int(),
  status: z.enum(['active', 'filled', 'withdrawn']),
});

export const referralCreated = z.object({
  referralId: z.uuid(),
  seekerId: z.uuid(),
  vacancyId: z.uuid(),
  householdId: z.uuid().nullable(),
  /** An offer that stops a zero-employment household's clock. */
  isPriorityOffer: z.boolean(),
  at: z.iso.datetime({ offset: true }),
});

export const referralHired = z.object({
  referralId: z.uuid(),
  seekerId: z.uuid(),
  vacancyId: z.uuid(),
  householdId: z.uuid().nullable(),
  employerId: z.uuid().nullable(),
  hardshipCategories: categories,
  aidBaseId: z.uuid().nullable(),
  reservedPostId: z.uuid().nullable(),
  at: z.iso.datetime({ offset: true }),
});

export const referralOutcomeRecorded = z.object({
  referralId: z.uuid(),
  seekerId: z.uuid(),
  vacancyId: z.uuid(),
  outcome: z.enum(['hired', 'rejected', 'no-show', 'declined', 'withdrawn', 'expired']),
  reason: z.string().nullable(),
  at: z.iso.datetime({ offset: true }),
  /** Where the referral lies, so that webhooks reach only those whose regions hold it (absent before 2026-12-07). */
  communityCode: regionCode.optional(),
  /** The assistance base whose reserved post the referral was to, if any (absent before 2026-12-07). */
  aidBaseId: z.uuid().nullable().optional(),
});

export const householdCategoriesChanged = z.object({
  householdId: z.uuid(),
  communityCode: regionCode,
  hardshipCategories: categories,
  previous: categories,
  memberIds: z.array(z.uuid()),
});

/** A zero-employment household whose offer deadline passed without an offer: for coordinators and other systems. */
export const householdEscalated = z.object({
  householdId: z.uuid(),
  communityCode: regionCode,
  /** The street (or town) the escalation goes to. */
  streetCode: regionCode,
  zeroEmploymentSince: z.iso.datetime({ offset: true }),
  offerDeadline: z.iso.datetime({ offset: true }),
  escalatedAt: z.iso.datetime({ offset: true }),
  members: z.number().int(),
});

export const matchingRunCompleted = z.object({
  runId: z.uuid(),
  regionCode: z.string().nullable(),
  seekers: z.number().int(),
  vacancies: z.number().int(),
  recommendations: z.number().int(),
  finishedAt: z.iso.datetime({ offset: true }),
});

interface Contract<S extends z.ZodType> {
  version: number;
  producer: ServiceName;
  schema: S;
  /** The services whose event queue receives it. */
  consumers: readonly ServiceName[];
}

function contract<S extends z.ZodType>(c: Contract<S>): Contract<S> {
  return c;
}

/** Every event type, its payload schema and its routing: one typed map. */
export const eventContracts = {
  'seeker.registered': contract({ version: 1, producer: 'registration', schema: seekerSnapshot, consumers: ['matching'] }),
  'seeker.updated': contract({ version: 1, producer: 'registration', schema: seekerSnapshot, consumers: ['matching'] }),
  'seeker.employment-changed': contract({ version: 1, producer: 'registration', schema: seekerSnapshot, consumers: ['matching'] }),
  'seekers.imported': contract({ version: 1, producer: 'registration', schema: seekersImported, consumers: ['matching'] }),
  'seeker.anonymised': contract({ version: 1, producer: 'registration', schema: seekerAnonymised, consumers: ['matching'] }),
  // Not for matching: each member's own snapshot, published with it, carries what that member holds.
  'household.categories-changed': contract({ version: 1, producer: 'registration', schema: householdCategoriesChanged, consumers: [] }),
  'household.escalated': contract({ version: 1, producer: 'registration', schema: householdEscalated, consumers: [] }),
  'vacancy.created': contract({ version: 1, producer: 'job-postings', schema: vacancySnapshot, consumers: ['matching', 'assistance-bases', 'registration'] }),
  'vacancy.updated': contract({ version: 1, producer: 'job-postings', schema: vacancySnapshot, consumers: ['matching', 'assistance-bases'] }),
  'vacancy.closed': contract({ version: 1, producer: 'job-postings', schema: vacancySnapshot, consumers: ['matching', 'assistance-bases'] }),
  'reserved-post.changed': contract({ version: 1, producer: 'assistance-bases', schema: reservedPostSnapshot, consumers: ['matching', 'job-postings'] }),
  'referral.created': contract({ version: 1, producer: 'matching', schema: referralCreated, consumers: ['registration'] }),
  'referral.hired': contract({ version: 1, producer: 'matching', schema: referralHired, consumers: ['registration', 'job-postings', 'assistance-bases'] }),
  'referral.outcome-recorded': contract({ version: 1, producer: 'matching', schema: referralOutcomeRecorded, consumers: [] }),
  'matching-run.completed': contract({ version: 1, producer: 'matching', schema: matchingRunCompleted, consumers: [] }),
} as const;

export type EventType = keyof typeof eventContracts;
export type EventPayload<T extends EventType> = z.infer<(typeof eventContracts)[T]['schema']>;

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventContracts, type);
}

/** Event types routed to a service: those its events queue carries and its handlers must apply. */
export function eventsConsumedBy(service: ServiceName): EventType[] {
  return (Object.keys(eventContracts) as EventType[]).filter((type) => (eventContracts[type].consumers as readonly ServiceName[]).includes(service));
}
