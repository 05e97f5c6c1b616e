import { randomUUID } from 'node:crypto';
import { applyEvent } from '@reemploy/messaging';
import type { EventPayload, EventType } from '@reemploy/events';
import { responseWriter } from '@reemploy/http-kit/response-serializer';
import { projectionHandlers } from '../src/projection/handlers.ts';
import type { MatchingContext } from '../src/context.ts';
import { matchesView } from '../src/matches/schemas.ts';

const PRODUCER: Record<string, 'registration' | 'job-postings' | 'assistance-bases'> = {
  seeker: 'registration',
  household: 'registration',
  vacancy: 'job-postings',
  'reserved-post': 'assistance-bases',
};

let seq = 1000;

/**
 * A GET matches answer as its route's response schema writes it (the compiled schema; with `check`,
 * encoded by zod too, which must agree): what the route sends when the HTTP thread ranks.
 */
export function matchesBySchema(answer: unknown, check = true): string {
  return responseWriter(matchesView, { method: 'GET', url: '/v1/job-seekers/:id/matches', httpStatus: '200' }, check).write(answer);
}

/** Delivers an event to matching's projection exactly as the consumer would. */
export async function deliver<T extends EventType>(ctx: MatchingContext, type: T, payload: EventPayload<T>, at = ++seq) {
  const producer = PRODUCER[type.split('.')[0] as string] ?? 'registration';
  return applyEvent(ctx.db, projectionHandlers(), { id: randomUUID(), type, version: 1, producer, seq: at, subject: 'x', occurredAt: new Date().toISOString(), payload });
}

/** A seeker of 45 (born 1981) in 龙港苑社区, 姑苏区, looking for cleaning work. */
export function seeker(overrides: Partial<EventPayload<'seeker.registered'>> = {}): EventPayload<'seeker.registered'> {
  return {
    seekerId: randomUUID(),
    householdId: null,
    communityCode: '320508024043',
    gender: 'female',
    birthDate: '1981-03-01',
    education: 'senior-secondary',
    skills: ['S001-01', 'S001-02'],
    desiredOccupations: ['4-01-01'],
    expectedMonthlyWage: 4500,
    ableToWork: true,
    willingToWork: true,
    status: 'unemployed',
    hardshipCategories: [],
    ...overrides,
  };
}

export function vacancy(overrides: Partial<EventPayload<'vacancy.created'>> = {}): EventPayload<'vacancy.created'> {
  return {
    vacancyId: randomUUID(),
    employerId: randomUUID(),
    title: '保洁员',
    occupationCode: '4-01-01',
    skills: ['S001-01', 'S001-02'],
    minAge: 18,
    maxAge: 60,
    educationMin: 'junior-secondary',
    wageMin: 4000,
    wageMax: 5500,
    headcount: 2,
    headcountLeft: 2,
    communityCode: '320508024043',
    kind: 'regular',
    source: 'employer',
    reservedFor: [],
    status: 'open',
    validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    ...overrides,
  };
}

export function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}
