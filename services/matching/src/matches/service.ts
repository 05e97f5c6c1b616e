import { cityDate } from '@reemploy/domain';
import { inRegions, problems, type Caller } from '@reemploy/http-kit';
import { metricsRegistryOf } from '@reemploy/runtime/queue-metrics';
import { matchingMetrics, type MatchingMetrics } from '../metrics.ts';
import type { MatchingContext } from '../context.ts';
import type { MatcherCache } from '../matcher/cache.ts';
import type { Ranker } from '../matcher/ranker.ts';
import { isActiveSeeker, toSeekerInput } from '../matcher/inputs.ts';
import { unjustifiedDeclinesThisYear } from '../referrals/repository.ts';

/** `matches_served_total` of the registry /metrics serves, by kind: on-demand, candidates, recommendations. */
export function servedMetric(ctx: MatchingContext): MatchingMetrics['matchesServed'] {
  return matchingMetrics(metricsRegistryOf(ctx)).matchesServed;
}

/** A seeker's best open vacancies now; outside the caller's regions is the same as absent. */
export async function matchesForSeeker(ctx: MatchingContext, ranker: Ranker, cache: MatcherCache, caller: Caller, seekerId: string, limit: number) {
  const row = await ctx.db.selectFrom('seekers').selectAll().where('seeker_id', '=', seekerId).executeTakeFirst();
  if (!row || !inRegions(caller, row.community_code)) throw problems.notFound(`Job seeker ${seekerId}`);
  const today = cityDate();
  const active = isActiveSeeker(row, today);
  const seeker = toSeekerInput(row, today);
  // The ranking thread, or this thread's own matcher when the thread is unavailable.
  const rank = () =>
    ranker.rank(seeker, limit).catch(async (err: Error) => {
      ctx.logger.warn({ err: err.message }, 'ranking thread unavailable: ranking on the main thread');
      return (await cache.vacancyIndex()).matcher.rankForSeeker(seeker, limit);
    });
  const [items, declines] = await Promise.all([active ? rank() : [], unjustifiedDeclinesThisYear(ctx.db, seekerId)]);
  servedMetric(ctx).inc({ kind: 'on-demand' }, items.length);
  return { seekerId: row.seeker_id, communityCode: row.community_code, active, unjustifiedDeclinesThisYear: declines, items };
}

/** The best seekers in the caller's regions for one vacancy. */
export async function candidatesForVacancy(ctx: MatchingContext, cache: MatcherCache, caller: Caller, requested: string, limit: number) {
  const row = await ctx.db.selectFrom('vacancies').select(['vacancy_id', 'status', 'headcount_left', 'valid_until']).where('vacancy_id', '=', requested).executeTakeFirst();
  if (!row) throw problems.notFound(`Vacancy ${requested}`);
  // Postgres matched the id whatever its case; the matcher knows it as stored (lower case).
  const vacancyId = row.vacancy_id;
  const open = row.status === 'open' && row.headcount_left > 0 && row.valid_until > new Date();
  if (!open) return { vacancyId, open, headcountLeft: row.headcount_left, items: [] };
  let index = await cache.vacancyIndex();
  if (!index.vacancies.has(vacancyId)) index = await cache.freshVacancyIndex();
  const seekers = (await cache.activeSeekers()).filter((s) => inRegions(caller, s.communityCode));
  const byId = new Map(seekers.map((s) => [s.id, s]));
  const items = index.matcher.rankCandidates(vacancyId, seekers, limit).map((c) => ({ ...c, communityCode: byId.get(c.seekerId)?.communityCode ?? '' }));
  servedMetric(ctx).inc({ kind: 'candidates' }, items.length);
  return { vacancyId, open, headcountLeft: row.headcount_left, items };
}
