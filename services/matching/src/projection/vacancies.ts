import { sql, type Transaction } from 'kysely';
import { upsertSnapshot } from '@reemploy/db';
import type { Envelope, EventPayload } from '@reemploy/events';
import type { MatchingDB } from '../database.ts';

/**
 * Created, updated and closed all carry the full snapshot: the newest one wins. Except for the
 * places left: a hire takes its place here at once (referrals/service.ts), and a snapshot
 * job-postings made before it had counted that hire (a wage changed meanwhile, say) must not
 * give the place back. So the places left are never more than the headcount less the hires
 * recorded here.
 */
export async function upsertVacancy(trx: Transaction<MatchingDB>, v: EventPayload<'vacancy.created'>, envelope: Envelope) {
  await upsertSnapshot(
    trx,
    'vacancies',
    'vacancy_id',
    {
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
    },
    {
      headcount_left: sql<number>`greatest(0, least(excluded.headcount_left, excluded.headcount - (select count(*)::int from referrals r where r.vacancy_id = excluded.vacancy_id and r.status = 'hired')))`,
    },
  );
}

export async function upsertReservedPost(trx: Transaction<MatchingDB>, p: EventPayload<'reserved-post.changed'>, envelope: Envelope) {
  await upsertSnapshot(trx, 'reserved_posts', 'reserved_post_id', {
    reserved_post_id: p.reservedPostId,
    aid_base_id: p.aidBaseId,
    vacancy_id: p.vacancyId,
    reserved_for: p.reservedFor,
    quota: p.quota,
    filled: p.filled,
    status: p.status,
    source_seq: envelope.seq,
    updated_at: new Date(),
  });
}
