import type { Transaction } from 'kysely';
import type { Envelope, EventPayload } from '@reemploy/events';
import type { EventHandlers } from '@reemploy/messaging';
import type { MatchingDB } from '../database.ts';

/**
 * Upserts a seeker snapshot. An older snapshot (lower producer sequence)
 * arriving after a newer one changes nothing, so order of delivery is free.
 */
async function upsertSeeker(trx: Transaction<MatchingDB>, s: EventPayload<'seeker.registered'>, envelope: Envelope) {
  const row = {
    seeker_id: s.seekerId,
    household_id: s.householdId,
    community_code: s.communityCode,
    gender: s.gender,
    birth_date: s.birthDate,
    education: s.education,
    skills: s.skills,
    desired_occupations: s.desiredOccupations,
    expected_monthly_wage: s.expectedMonthlyWage,
    able_to_work: s.ableToWork,
    willing_to_work: s.willingToWork,
    status: s.status,
    hardship_categories: s.hardshipCategories,
    source_seq: envelope.seq,
    updated_at: new Date(),
  };
  await trx
    .insertInto('seekers')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('seeker_id')
        .doUpdateSet(({ ref }) => ({
          household_id: ref('excluded.household_id'),
          community_code: ref('excluded.community_code'),
          gender: ref('excluded.gender'),
          birth_date: ref('excluded.birth_date'),
          education: ref('excluded.education'),
          skills: ref('excluded.skills'),
          desired_occupations: ref('excluded.desired_occupations'),
          expected_monthly_wage: ref('excluded.expected_monthly_wage'),
          able_to_work: ref('excluded.able_to_work'),
          willing_to_work: ref('excluded.willing_to_work'),
          status: ref('excluded.status'),
          hardship_categories: ref('excluded.hardship_categories'),
          source_seq: ref('excluded.source_seq'),
          updated_at: ref('excluded.updated_at'),
        }))
        .where((eb) => eb('seekers.source_seq', '<', eb.ref('excluded.source_seq'))),
    )
    .execute();
}

export function projectionHandlers(): EventHandlers<MatchingDB> {
  return {
    'seeker.registered': upsertSeeker,
    'seeker.updated': upsertSeeker,
    'seeker.employment-changed': upsertSeeker,
  };
}
