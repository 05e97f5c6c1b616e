import type { Selectable } from 'kysely';
import { cityDate } from '@reemploy/domain';
import { createMatcher, type Match } from '@reemploy/matching-engine';
import type { MatchingContext } from '../context.ts';
import type { RecommendationTable } from '../database.ts';
import type { MatcherCache } from '../matcher/cache.ts';
import { ACTIVITY_COLUMNS, engineConfig, isActiveSeeker, SEEKER_COLUMNS, toSeekerInput, type ActivityFields, type SeekerFields } from '../matcher/inputs.ts';

/**
 * Turns stored lists into matches with factors and reasons. The run stores
 * the ranking and scores; factors and reasons are worked out again for the
 * listed vacancies only, from the current projection. A vacancy no longer
 * open to the seeker (filled, closed, reserved for others since) stays in the
 * run's list, marked not available and without factors, and so does every
 * item of a seeker no longer looking for work (hired since the run, say).
 */
export async function explainLists(ctx: MatchingContext, cache: MatcherCache, rows: Selectable<RecommendationTable>[]) {
  if (!rows.length) return [];
  const index = await cache.vacancyIndex();
  const { rows: seekers } = await ctx.database.pool.query<SeekerFields & ActivityFields>(
    `select ${SEEKER_COLUMNS}, ${ACTIVITY_COLUMNS} from seekers where seeker_id = any($1::uuid[])`,
    [rows.map((r) => r.seeker_id)],
  );
  const byId = new Map(seekers.map((s) => [s.seeker_id, s]));
  const config = engineConfig(ctx.env);
  const today = cityDate();
  return rows.map((row) => {
    const seeker = byId.get(row.seeker_id);
    const active = seeker !== undefined && isActiveSeeker(seeker, today);
    const explained = new Map<string, Match>();
    const listed = row.vacancy_ids.flatMap((id) => index.vacancies.get(id) ?? []);
    if (active && listed.length) {
      for (const m of createMatcher(listed, config).rankForSeeker(toSeekerInput(seeker, today), listed.length)) explained.set(m.vacancyId, m);
    }
    return {
      seekerId: row.seeker_id,
      communityCode: row.community_code,
      priorityTier: row.tier,
      active,
      items: row.vacancy_ids.map((vacancyId, i) => {
        const m = explained.get(vacancyId);
        return { vacancyId, rank: i + 1, score: row.scores[i] ?? 0, available: m !== undefined, factors: m?.factors ?? null, reasons: m?.reasons ?? [] };
      }),
    };
  });
}
