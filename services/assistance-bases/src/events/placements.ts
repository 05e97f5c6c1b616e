import type { Transaction } from 'kysely';
import { sql } from 'kysely';
import { cityMonth } from '@reemploy/domain';
import type { EventPayload } from '@reemploy/events';
import type { AssistanceBasesDB } from '../database.ts';
import { lockActivePostForVacancy } from '../reserved-posts/repository.ts';
import { publishPost } from '../reserved-posts/service.ts';

/**
 * A hire into a reserved vacancy of a person in one of the post's categories
 * is one placement for the base, counted by the seeker's hardship categories.
 * Other hires into the same vacancy (its headcount may exceed the quota) do
 * not use the reserved quota. The referral id is the placement's key, so a
 * second delivery (even under another event id) counts nothing. The post
 * fills when its placements reach the quota.
 */
export async function countPlacement(trx: Transaction<AssistanceBasesDB>, hire: EventPayload<'referral.hired'>): Promise<void> {
  const post = await lockActivePostForVacancy(trx, hire.vacancyId);
  if (!post) return;
  if (!hire.hardshipCategories.some((c) => post.reserved_for.includes(c))) return;
  const hiredAt = new Date(hire.at);
  const inserted = await trx
    .insertInto('placements')
    .values({
      referral_id: hire.referralId,
      reserved_post_id: post.id,
      aid_base_id: post.aid_base_id,
      vacancy_id: hire.vacancyId,
      seeker_id: hire.seekerId,
      hardship_categories: [...new Set(hire.hardshipCategories)],
      hired_at: hiredAt,
      month: cityMonth(hiredAt),
    })
    .onConflict((oc) => oc.column('referral_id').doNothing())
    .returning('referral_id')
    .executeTakeFirst();
  if (!inserted) return;
  const updated = await trx
    .updateTable('reserved_posts')
    .set({
      filled: sql`filled + 1`,
      status: sql`case when filled + 1 >= quota then 'filled' else status end`,
      version: sql`version + 1`,
      updated_at: new Date(),
    })
    .where('id', '=', post.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await publishPost(trx, updated);
}
