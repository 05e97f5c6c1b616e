import { sql, type Transaction } from 'kysely';
import type { Envelope, EventPayload } from '@reemploy/events';
import type { MatchingDB } from '../database.ts';

const VACANCY_COLUMNS = [
  'employer_id',
  'title',
  'occupation_code',
  'skills',
  'min_age',
  'max_age',
  'education_min',
  'wage_min',
  'wage_max',
  'headcount',
  'headcount_left',
  'community_code',
  'kind',
  'source',
  'reserved_for',
  'status',
  'valid_until',
  'source_seq',
  'updated_at',
] as const;

/**
 * Created, updated and closed all carry the full snapshot: the newest one wins. Except for the
 * places left: a hire takes its place here at once (referrals/service.ts), and a snapshot
 * job-postings made before it had counted that hire (a wage changed meanwhile, say) must not
 * give the place back. So the places left are never more than the headcount less the hires
 * recorded here.
 */
export async function upsertVacancy(trx: Transaction<MatchingDB>, v: EventPayload<'vacancy.created'>, envelope: Envelope) {
  await trx
    .insertInto('vacancies')
    .values({
      vacancy_id: v.vacancyId,
      employer_id: v.employerId,
      title: v.title,
      occupation_code: v.occupationCode,
      skills: v.skills,
      min_age: v.minAge,
      max_age: v.maxAge,
      education_min: v.educationMin,
      wage_min: v.wageMin,
      wage_max: v.wageMax,
      headcount: v.headcount,
      headcount_left: v.headcountLeft,
      community_code: v.communityCode,
      kind: v.kind,
      source: v.source,
      reserved_for: v.reservedFor,
      status: v.status,
      valid_until: v.validUntil,
      source_seq: envelope.seq,
      updated_at: new Date(),
    })
    .onConflict((oc) =>
      oc
        .column('vacancy_id')
        .doUpdateSet(({ ref }) => ({
          ...Object.fromEntries(VACANCY_COLUMNS.map((c) => [c, ref(`excluded.${c}`)])),
          headcount_left: sql<number>`greatest(0, least(excluded.headcount_left, excluded.headcount - (select count(*)::int from referrals r where r.vacancy_id = excluded.vacancy_id and r.status = 'hired')))`,
        }))
        .where((eb) => eb('vacancies.source_seq', '<', eb.ref('excluded.source_seq'))),
    )
    .execute();
}

export async function upsertReservedPost(trx: Transaction<MatchingDB>, p: EventPayload<'reserved-post.changed'>, envelope: Envelope) {
  await trx
    .insertInto('reserved_posts')
    .values({
      reserved_post_id: p.reservedPostId,
      aid_base_id: p.aidBaseId,
      vacancy_id: p.vacancyId,
      reserved_for: p.reservedFor,
      quota: p.quota,
      filled: p.filled,
      status: p.status,
      source_seq: envelope.seq,
      updated_at: new Date(),
    })
    .onConflict((oc) =>
      oc
        .column('reserved_post_id')
        .doUpdateSet(({ ref }) => ({
          aid_base_id: ref('excluded.aid_base_id'),
          vacancy_id: ref('excluded.vacancy_id'),
          reserved_for: ref('excluded.reserved_for'),
          quota: ref('excluded.quota'),
          filled: ref('excluded.filled'),
          status: ref('excluded.status'),
          source_seq: ref('excluded.source_seq'),
          updated_at: ref('excluded.updated_at'),
        }))
        .where((eb) => eb('reserved_posts.source_seq', '<', eb.ref('excluded.source_seq'))),
    )
    .execute();
}
