import { buildLedger, zeroFigures, type Ledger, type LedgerFigures } from '@reemploy/assessment';
import { problems, visiblePrefixes, type Caller } from '@reemploy/http-kit';
import type { RegistrationContext } from '../context.ts';
import { communityFigures } from '../assessment/figures.ts';
import { periodBounds } from '../assessment/period.ts';
import { knownCommunities, regionNames } from '../assessment/regions.ts';
import { assessmentDb } from '../assessment/tables.ts';
import { activityCounts, reemploymentCounts, serviceCounts } from './figures.ts';

const SERVICE_COLUMNS: Record<string, keyof LedgerFigures> = {
  visit: 'visits',
  'info-collection': 'infoCollections',
  'network-entry': 'networkEntries',
  guidance: 'guidance',
};

export const ACTIVITY_COLUMNS: Record<string, keyof LedgerFigures> = {
  'vacancies-collected': 'vacanciesCollected',
  'public-welfare-posts': 'publicWelfarePosts',
  referrals: 'referrals',
  placements: 'placements',
};

/**
 * The monthly work report under a region: every community known to the regions table or holding
 * any data, with street and district totals. Stocks are at the month's end; activities are the month's;
 * "this year" columns run from January to the month.
 */
export async function monthlyLedger(ctx: RegistrationContext, caller: Caller, regionCode: string, period: string): Promise<Ledger> {
  const prefixes = visiblePrefixes(caller, regionCode);
  if (prefixes.length === 0) throw problems.notFound('Region');
  const db = assessmentDb(ctx);
  const b = periodBounds(period);
  const standard = await communityFigures(db, prefixes, b);
  const reemployment = await reemploymentCounts(db, prefixes, b);
  const services = await serviceCounts(db, prefixes, b);
  const activity = await activityCounts(db, prefixes, b.monthStart, b.end);
  const known = await knownCommunities(db, prefixes);
  const rows = new Map<string, LedgerFigures>();
  const row = (code: string) => {
    const found = rows.get(code) ?? zeroFigures();
    rows.set(code, found);
    return found;
  };
  for (const code of known) row(code);
  for (const [code, set] of standard) {
    Object.assign(row(code), {
      registeredUnemployed: set.unemployedAtEnd,
      dualHouseholds: set.figures.dualHouseholds,
      dualHouseholdsCovered: set.figures.dualHouseholdsCovered,
      zeroEmploymentHouseholdsLeft: set.figures.zeroEmploymentHouseholdsLeft,
    });
  }
  for (const r of reemployment) {
    Object.assign(row(r.community_code), { reemployedThisMonth: Number(r.reemployed_month), reemployedThisYear: Number(r.reemployed_year), reemployed4050: Number(r.reemployed4050_year) });
  }
  for (const r of services) {
    const column = SERVICE_COLUMNS[r.kind];
    if (column) row(r.community_code)[column] = Number(r.n);
  }
  for (const r of activity) {
    const column = ACTIVITY_COLUMNS[r.kind];
    if (column) row(r.community_code)[column] = Number(r.n);
  }
  const names = await regionNames(db, [...rows.keys()]);
  return buildLedger(period, regionCode, [...rows.entries()].map(([communityCode, figures]) => ({ communityCode, figures })), names);
}
