import { sql, type Transaction } from 'kysely';
import type { Envelope, EventPayload } from '@reemploy/events';
import type { EventHandlers } from '@reemploy/messaging';
import type { MatchingDB } from '../database.ts';
import { upsertReservedPost, upsertVacancy } from './vacancies.ts';

/**
 * Upserts a seeker snapshot. An older snapshot (lower producer sequence)
 * arriving after a newer one changes nothing, so order of delivery is free.
 * Categories are fenced on their own sequence: a household event may have
 * set them more recently than the last seeker snapshot.
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
    categories_seq: envelope.seq,
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
          hardship_categories: sql<string[]>`case when seekers.categories_seq < excluded.source_seq then excluded.hardship_categories else seekers.hardship_categories end`,
          categories_seq: sql<number>`greatest(seekers.categories_seq, excluded.source_seq)`,
          source_seq: ref('excluded.source_seq'),
          updated_at: ref('excluded.updated_at'),
        }))
        .where((eb) => eb('seekers.source_seq', '<', eb.ref('excluded.source_seq'))),
    )
    .execute();
}

/** A bulk import's new seekers: each upserted as its own seeker.registered would be. */
async function upsertImportedSeekers(trx: Transaction<MatchingDB>, batch: EventPayload<'seekers.imported'>, envelope: Envelope) {
  for (const s of batch.seekers) await upsertSeeker(trx, s, envelope);
}

/** A household's derived categories changed: members drop the previous ones and take the new. */
async function applyHouseholdCategories(trx: Transaction<MatchingDB>, h: EventPayload<'household.categories-changed'>, envelope: Envelope) {
  await trx
    .updateTable('seekers')
    .set({
      hardship_categories: sql<string[]>`array(select distinct c from unnest(array(select unnest(hardship_categories) except select unnest(${h.previous}::text[])) || ${h.hardshipCategories}::text[]) as c order by c)`,
      categories_seq: envelope.seq,
      updated_at: new Date(),
    })
    .where((eb) => eb.or([eb('household_id', '=', h.householdId), ...(h.memberIds.length ? [eb('seeker_id', 'in', h.memberIds)] : [])]))
    .where('categories_seq', '<', envelope.seq)
    .execute();
}

export function projectionHandlers(): EventHandlers<MatchingDB> {
  return {
    'seeker.registered': upsertSeeker,
    'seeker.updated': upsertSeeker,
    'seeker.employment-changed': upsertSeeker,
    'seekers.imported': upsertImportedSeekers,
    'household.categories-changed': applyHouseholdCategories,
    // Retention at registration: forget the person's attributes (referrals and past runs keep only the id).
    'seeker.anonymised': async (trx, a) => {
      await trx.deleteFrom('seekers').where('seeker_id', '=', a.seekerId).execute();
    },
    'vacancy.created': upsertVacancy,
    'vacancy.updated': upsertVacancy,
    'vacancy.closed': upsertVacancy,
    'reserved-post.changed': upsertReservedPost,
  };
}
