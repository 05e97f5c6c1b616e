import { emptyFigures, evaluate, summarize, type CriterionResult, type RegionSummary } from '@reemploy/assessment';
import { inRegions, problems, visiblePrefixes, type Caller } from '@reemploy/http-kit';
import type { RegistrationContext } from '../context.ts';
import { communityFigures } from './figures.ts';
import { periodBounds } from './period.ts';
import { communityTypes, knownCommunities, regionNames } from './regions.ts';
import { currentStandard, standardVersion } from './standards.ts';
import { assessmentDb, type Db } from './tables.ts';

export interface CommunityAssessment {
  communityCode: string;
  name: string | null;
  period: string;
  communityType: string;
  standard: { communityType: string; version: number };
  applied: boolean;
  passed: boolean;
  criteria: CriterionResult[];
  firstAssessedAt: string;
  assessedAt: string;
}

/**
 * Assesses communities for a period on today's figures. The first assessment of a community and period
 * records the standard in force; later re-assessments of it keep that version, so a changed standard
 * applies to assessments made after the change only.
 */
export async function assessCommunities(db: Db, codes: string[], period: string): Promise<CommunityAssessment[]> {
  if (codes.length === 0) return [];
  const bounds = periodBounds(period);
  const figures = await communityFigures(db, codes, bounds);
  const types = await communityTypes(db, codes);
  const names = await regionNames(db, codes);
  const pinned = await db.selectFrom('assessments').select(['community_code', 'community_type', 'standard_version']).where('period', '=', period).where('community_code', 'in', codes).execute();
  const applied = await db.selectFrom('assessment_applications').select('community_code').where('period', '=', period).where('community_code', 'in', codes).execute();
  const pinnedBy = new Map(pinned.map((p) => [p.community_code, p]));
  const appliedSet = new Set(applied.map((a) => a.community_code));
  const standards = new Map<string, Awaited<ReturnType<typeof currentStandard>>>();
  const evaluated = [];
  for (const code of [...codes].sort()) {
    const pin = pinnedBy.get(code);
    const type = (pin?.community_type ?? types.get(code) ?? 'old-city') as Parameters<typeof currentStandard>[1];
    const key = pin ? `${type}@${pin.standard_version}` : `${type}@current`;
    let standard = standards.get(key);
    if (!standard) {
      standard = pin ? await standardVersion(db, type, pin.standard_version) : await currentStandard(db, type);
      standards.set(key, standard);
    }
    evaluated.push({ code, type, version: standard.version, evaluation: evaluate(figures.get(code)?.figures ?? emptyFigures(), standard.targets, standard.collection) });
  }
  const rows = await db
    .insertInto('assessments')
    .values(evaluated.map((e) => ({ community_code: e.code, period, community_type: e.type, standard_version: e.version, passed: e.evaluation.passed, criteria: JSON.stringify(e.evaluation.criteria) })))
    .onConflict((oc) => oc.columns(['community_code', 'period']).doUpdateSet((eb) => ({ passed: eb.ref('excluded.passed'), criteria: eb.ref('excluded.criteria'), assessed_at: new Date() })))
    .returning(['community_code', 'first_assessed_at', 'assessed_at'])
    .execute();
  const stamps = new Map(rows.map((r) => [r.community_code, r]));
  const results = evaluated.map(({ code, type, version, evaluation }): CommunityAssessment => {
    const stamp = stamps.get(code);
    return {
      communityCode: code,
      name: names.get(code) ?? null,
      period,
      communityType: type,
      standard: { communityType: type, version },
      applied: appliedSet.has(code),
      passed: evaluation.passed,
      criteria: evaluation.criteria,
      firstAssessedAt: stamp?.first_assessed_at.toISOString() ?? '',
      assessedAt: stamp?.assessed_at.toISOString() ?? '',
    };
  });
  return results;
}

export async function assessCommunity(ctx: RegistrationContext, caller: Caller, code: string, period: string): Promise<CommunityAssessment> {
  if (!inRegions(caller, code)) throw problems.notFound('Community');
  const db = assessmentDb(ctx);
  // A code outside the division tree is assessed only when people or households were registered under it.
  const known = (await knownCommunities(db, [code])).length > 0;
  if (!known) {
    const seeker = await db.selectFrom('job_seekers').select('id').where('community_code', '=', code).limit(1).executeTakeFirst();
    const household = seeker ?? (await db.selectFrom('households').select('id').where('community_code', '=', code).limit(1).executeTakeFirst());
    if (!household) throw problems.notFound('Community');
  }
  const [result] = await assessCommunities(db, [code], period);
  return result as CommunityAssessment;
}

/** Applicant communities for a period under the prefixes: only applicants count as assessed. */
export async function applicantsUnder(db: Db, prefixes: string[], period: string): Promise<string[]> {
  if (prefixes.length === 0) return [];
  const rows = await db
    .selectFrom('assessment_applications')
    .select('community_code')
    .where('period', '=', period)
    .where((eb) => eb.or(prefixes.map((p) => eb('community_code', 'like', `${p}%`))))
    .orderBy('community_code')
    .execute();
  return rows.map((r) => r.community_code);
}

export interface AssessmentSummary extends RegionSummary {
  period: string;
  name: string | null;
}

/** The summary of a city, district or street: applicants assessed, passed, pass rate, a row per child region. */
export async function summarizeRegion(ctx: RegistrationContext, caller: Caller, regionCode: string, period: string): Promise<AssessmentSummary & { communities: CommunityAssessment[] }> {
  const prefixes = visiblePrefixes(caller, regionCode);
  if (prefixes.length === 0) throw problems.notFound('Region');
  const db = assessmentDb(ctx);
  const applicants = await applicantsUnder(db, prefixes, period);
  const assessments = await assessCommunities(db, applicants, period);
  const names = await regionNames(db, [regionCode, ...applicants]);
  const summary = summarize(
    regionCode,
    assessments.map((a) => ({ communityCode: a.communityCode, passed: a.passed, failedCriteria: a.criteria.filter((c) => !c.passed).map((c) => c.id) })),
    names,
  );
  return { ...summary, period, name: names.get(regionCode) ?? null, communities: assessments };
}
