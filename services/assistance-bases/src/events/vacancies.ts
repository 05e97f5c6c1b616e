import type { Transaction } from 'kysely';
import type { Envelope, EventPayload } from '@reemploy/events';
import type { AssistanceBasesDB } from '../database.ts';

/**
 * Keeps this service's copy of a vacancy: what a reservation is checked
 * against. An older snapshot (lower producer sequence) arriving after a newer
 * one changes nothing.
 */
export async function projectVacancy(trx: Transaction<AssistanceBasesDB>, v: EventPayload<'vacancy.created'>, envelope: Envelope): Promise<void> {
  await trx
    .insertInto('vacancies')
    .values({
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
    })
    .onConflict((oc) =>
      oc
        .column('vacancy_id')
        .doUpdateSet(({ ref }) => ({
          employer_id: ref('excluded.employer_id'),
          title: ref('excluded.title'),
          occupation_code: ref('excluded.occupation_code'),
          community_code: ref('excluded.community_code'),
          kind: ref('excluded.kind'),
          headcount: ref('excluded.headcount'),
          headcount_left: ref('excluded.headcount_left'),
          status: ref('excluded.status'),
          valid_until: ref('excluded.valid_until'),
          source_seq: ref('excluded.source_seq'),
          updated_at: ref('excluded.updated_at'),
        }))
        .where((eb) => eb('vacancies.source_seq', '<', eb.ref('excluded.source_seq'))),
    )
    .execute();
}
