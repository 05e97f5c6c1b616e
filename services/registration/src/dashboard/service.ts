import { CRITERIA } from '@reemploy/assessment';
import { problems, visiblePrefixes, type Caller } from '@reemploy/http-kit';
import type { RegistrationContext } from '../context.ts';
import { monthsUpTo, periodBounds } from '../assessment/period.ts';
import { regionNames } from '../assessment/regions.ts';
import { summarizeRegion } from '../assessment/service.ts';
import { assessmentDb } from '../assessment/tables.ts';
import { placementsByAidBase, reemployedByMonth, zeroEmploymentNow } from '../reports/figures.ts';

/** Everything the dashboard draws, in aggregate only: no person appears in it. */
export async function dashboardData(ctx: RegistrationContext, caller: Caller, regionCode: string, period: string, now = new Date()) {
  const prefixes = visiblePrefixes(caller, regionCode);
  if (prefixes.length === 0) throw problems.notFound('Region');
  const db = assessmentDb(ctx);
  const b = periodBounds(period);
  const summary = await summarizeRegion(ctx, caller, regionCode, period);
  const months = await reemployedByMonth(db, prefixes, b.yearStart, b.end);
  const zero = await zeroEmploymentNow(db, prefixes, now);
  const placements = await placementsByAidBase(db, prefixes, b.yearStart, b.end, caller.aidBase);
  const perMonth = new Map(months.map((m) => [m.month, m.n]));
  const names = await regionNames(db, [regionCode, ...zero.map((z) => z.district)]);
  return {
    period,
    regionCode,
    name: names.get(regionCode) ?? null,
    assessed: summary.assessed,
    passed: summary.passed,
    passRate: summary.passRate,
    passRateByRegion: summary.rows.map((r) => ({ regionCode: r.regionCode, name: r.name, assessed: r.assessed, passed: r.passed, passRate: r.passRate })),
    failingCriteria: summary.failedCriteria.map((f) => ({ id: f.id, label: CRITERIA[f.id].label, communities: f.communities })),
    reemploymentByMonth: monthsUpTo(period).map((month) => ({ month, reemployed: perMonth.get(month) ?? 0 })),
    zeroEmployment: {
      left: zero.reduce((a, z) => a + z.left, 0),
      overdue: zero.reduce((a, z) => a + z.overdue, 0),
      byDistrict: zero.map((z) => ({ regionCode: z.district, name: names.get(z.district) ?? null, left: z.left, overdue: z.overdue })),
    },
    placementsByAidBase: placements,
  };
}
