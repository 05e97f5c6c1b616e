import type { Transaction } from 'kysely';
import { upsertSnapshot } from '@reemploy/db';
import type { Envelope, EventPayload } from '@reemploy/events';
import type { AssistanceBasesDB } from '../database.ts';

/**
 * Keeps this service's copy of a vacancy: what a reservation is checked
 * against. An older snapshot (lower producer sequence) arriving after a newer
 * one changes nothing.
 */
export async function projectVacancy(trx: Transaction<AssistanceBasesDB>, v: EventPayload<'vacancy.created'>, envelope: Envelope): Promise<void> {
  await upsertSnapshot(trx, 'vacancies', 'vacancy_id', {
    vacancy_id: v.vacancyId,
    employer_id: v.employerId,
    title: v.title,
    occupation_code: v.occupationCode,
    community_code: v.communityCode,
    kind: v.kind,
    headcount: v.headcount,
    headcount_left: v.headcountLeft,
    status: v.status,
    valid_until: v.validUntil,
    source_seq: envelope.seq,
    updated_at: new Date(),
  });
}
