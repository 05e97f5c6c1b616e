import { expressionBuilder, sql, type Expression, type SqlBool, type Transaction } from 'kysely';
import { jsonObjectFrom } from 'kysely/helpers/postgres';
import { upsertSnapshot } from '@reemploy/db';
import type { Envelope, EventPayload } from '@reemploy/events';
import type { JobPostingsDB } from '../database.ts';

const eb = expressionBuilder<JobPostingsDB, never>();

/**
 * `reserved-post.changed`: an assistance base reserved, changed, filled or withdrew a post. The full
 * snapshot replaces the one held unless it is older (the inbox already drops a redelivered envelope;
 * the producer's sequence orders the rest).
 */
export async function upsertReservedPost(trx: Transaction<JobPostingsDB>, post: EventPayload<'reserved-post.changed'>, envelope: Envelope): Promise<void> {
  await upsertSnapshot(trx, 'reserved_posts', 'reserved_post_id', {
    reserved_post_id: post.reservedPostId,
    vacancy_id: post.vacancyId,
    aid_base_id: post.aidBaseId,
    reserved_for: post.reservedFor,
    quota: post.quota,
    filled: post.filled,
    status: post.status,
    source_seq: envelope.seq,
    updated_at: new Date(),
  });
}

/**
 * The vacancy's live post as a JSON object (null when none): not withdrawn, as
 * assistance-bases keeps at most one per vacancy. Should a withdrawal arrive
 * after the next reservation, the newer post shows.
 */
export function liveReservedPost(vacancyId: Expression<string>) {
  return jsonObjectFrom(
    eb
      .selectFrom('reserved_posts as r')
      .select(['r.reserved_post_id', 'r.aid_base_id', 'r.reserved_for', 'r.quota', 'r.filled', 'r.status'])
      .where('r.vacancy_id', '=', vacancyId)
      .where('r.status', '<>', 'withdrawn')
      .orderBy('r.source_seq', 'desc')
      .limit(1),
  );
}

/**
 * Whether the vacancy has a post still keeping places for the category: active
 * with quota left, the condition matching folds a post's categories in on.
 * A post naming no category keeps places for no one in particular.
 */
export function keepsPlacesFor(vacancyId: Expression<string>, category: string): Expression<SqlBool> {
  return eb.exists(
    eb
      .selectFrom('reserved_posts as r')
      .select(sql`1`.as('one'))
      .where('r.vacancy_id', '=', vacancyId)
      .where('r.status', '=', 'active')
      .where(sql<boolean>`r.filled < r.quota`)
      .where('r.reserved_for', '@>', sql<string[]>`array[${category}]::text[]`),
  );
}
