import type { CriterionId } from './standard.ts';

/** Division code lengths: province, city, district, street, community. */
const LEVEL_LENGTHS = [2, 4, 6, 9, 12] as const;

/** The length of the codes one level below a region code (a community has no children). */
export function childCodeLength(regionCode: string): number | null {
  const index = LEVEL_LENGTHS.indexOf(regionCode.length as (typeof LEVEL_LENGTHS)[number]);
  if (index < 0) throw new RangeError(`not a division code length: ${regionCode}`);
  return LEVEL_LENGTHS[index + 1] ?? null;
}

/** Passed over assessed, rounded half up to three decimals (100/138 → 0.725, the report's 72.5%); null when none assessed. */
export function passRate(passed: number, assessed: number): number | null {
  if (assessed === 0) return null;
  return Math.floor((passed * 2000 + assessed) / (2 * assessed)) / 1000;
}

export interface CommunityOutcome {
  communityCode: string;
  passed: boolean;
  failedCriteria: CriterionId[];
}

export interface SummaryRow {
  regionCode: string;
  name: string | null;
  assessed: number;
  passed: number;
  passRate: number | null;
}

export interface RegionSummary {
  regionCode: string;
  assessed: number;
  passed: number;
  passRate: number | null;
  /** How many assessed communities failed each criterion, most failed first. */
  failedCriteria: { id: CriterionId; communities: number }[];
  rows: SummaryRow[];
}

/** The summary of the assessed communities under a region, with a row per child region holding any. */
export function summarize(regionCode: string, outcomes: CommunityOutcome[], names: ReadonlyMap<string, string> = new Map()): RegionSummary {
  const childLength = childCodeLength(regionCode);
  const inside = outcomes.filter((o) => o.communityCode.startsWith(regionCode));
  const rows = new Map<string, SummaryRow>();
  const failures = new Map<CriterionId, number>();
  for (const outcome of inside) {
    const child = outcome.communityCode.slice(0, childLength ?? 12);
    const row = rows.get(child) ?? { regionCode: child, name: names.get(child) ?? null, assessed: 0, passed: 0, passRate: null };
    row.assessed += 1;
    if (outcome.passed) row.passed += 1;
    rows.set(child, row);
    for (const id of outcome.failedCriteria) failures.set(id, (failures.get(id) ?? 0) + 1);
  }
  const sortedRows = [...rows.values()].sort((a, b) => a.regionCode.localeCompare(b.regionCode));
  for (const row of sortedRows) row.passRate = passRate(row.passed, row.assessed);
  const passed = inside.filter((o) => o.passed).length;
  return {
    regionCode,
    assessed: inside.length,
    passed,
    passRate: passRate(passed, inside.length),
    failedCriteria: [...failures.entries()].map(([id, communities]) => ({ id, communities })).sort((a, b) => b.communities - a.communities || a.id.localeCompare(b.id)),
    rows: sortedRows,
  };
}
