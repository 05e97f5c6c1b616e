import type { Transaction } from 'kysely';
import { upsertSnapshot } from '@reemploy/db';
import { defaultRetirementScheme, retirementDate } from '@reemploy/domain';
import type { Envelope, EventPayload } from '@reemploy/events';
import type { EventHandlers } from '@reemploy/messaging';
import type { MatchingDB } from '../database.ts';
import { upsertReservedPost, upsertVacancy } from './vacancies.ts';

/**
 * Upserts a seeker snapshot. An older snapshot (lower producer sequence)
 * arriving after a newer one changes nothing, so order of delivery is free.
 * The snapshot's categories are the ones this person holds: registration
 * re-derives a household's members and publishes each member's snapshot
 * with the household's change, so the household's own set (a single
 * parent's adult child is not a single parent) is never copied to them.
 */
async function upsertSeeker(trx: Transaction<MatchingDB>, s: EventPayload<'seeker.registered'>, envelope: Envelope) {
  if (await trx.selectFrom('forgotten_seekers').select('seeker_id').where('seeker_id', '=', s.seekerId).executeTakeFirst()) return;
  await upsertSeekerSnapshot(trx, s, envelope);
}

async function upsertSeekerSnapshot(trx: Transaction<MatchingDB>, s: EventPayload<'seeker.registered'>, envelope: Envelope) {
  const row = {
    seeker_id: s.seekerId,
    household_id: s.householdId,
    community_code: s.communityCode,
    gender: s.gender,
    birth_date: s.birthDate,
    retirement_date: retirementDate(s.retirementScheme ?? defaultRetirementScheme(s.gender), s.birthDate),
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
  await upsertSnapshot(trx, 'seekers', 'seeker_id', row);
}

/** A bulk import's new seekers: each upserted as its own seeker.registered would be. */
async function upsertImportedSeekers(trx: Transaction<MatchingDB>, batch: EventPayload<'seekers.imported'>, envelope: Envelope) {
  if (!batch.seekers.length) return;
  const forgotten = await trx.selectFrom('forgotten_seekers').select('seeker_id').where('seeker_id', 'in', batch.seekers.map((s) => s.seekerId)).execute();
  const skip = new Set(forgotten.map((f) => f.seeker_id));
  for (const s of batch.seekers) if (!skip.has(s.seekerId)) await upsertSeekerSnapshot(trx, s, envelope);
}

export function projectionHandlers(): EventHandlers<MatchingDB> {
  return {
    'seeker.registered': upsertSeeker,
    'seeker.updated': upsertSeeker,
    'seeker.employment-changed': upsertSeeker,
    'seekers.imported': upsertImportedSeekers,
    // Retention at registration: forget the person's attributes (referrals and past runs keep only the id),
    // for good: the id is kept as forgotten, so a snapshot published earlier and delivered late changes nothing.
    'seeker.anonymised': async (trx, a) => {
      await trx.deleteFrom('seekers').where('seeker_id', '=', a.seekerId).execute();
      await trx.insertInto('forgotten_seekers').values({ seeker_id: a.seekerId }).onConflict((oc) => oc.doNothing()).execute();
    },
    'vacancy.created': upsertVacancy,
    'vacancy.updated': upsertVacancy,
    'vacancy.closed': upsertVacancy,
    'reserved-post.changed': upsertReservedPost,
  };
}
