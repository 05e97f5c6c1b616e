/** The monthly work report (工作月报): one row per community, totals per street and district. */

export const LEDGER_COLUMNS = [
  { key: 'registeredUnemployed', header: '登记失业人员' },
  { key: 'reemployedThisMonth', header: '本月再就业' },
  { key: 'reemployedThisYear', header: '本年累计再就业' },
  { key: 'reemployed4050', header: '4050人员再就业' },
  { key: 'dualHouseholds', header: '双失业、双下岗、单亲家庭' },
  { key: 'dualHouseholdsCovered', header: '其中至少一人就业' },
  { key: 'zeroEmploymentHouseholdsLeft', header: '零就业家庭剩余' },
  { key: 'visits', header: '走访' },
  { key: 'infoCollections', header: '信息采集' },
  { key: 'networkEntries', header: '网络录入' },
  { key: 'guidance', header: '就业指导' },
  { key: 'publicWelfarePosts', header: '开发公益性岗位' },
  { key: 'vacanciesCollected', header: '采集岗位' },
  { key: 'referrals', header: '推荐就业' },
  { key: 'placements', header: '援助基地安置' },
] as const;

export type LedgerFigureKey = (typeof LEDGER_COLUMNS)[number]['key'];
export type LedgerFigures = Record<LedgerFigureKey, number>;

export type LedgerLevel = 'community' | 'street' | 'district';

export interface LedgerRow extends LedgerFigures {
  level: LedgerLevel;
  regionCode: string;
  name: string | null;
}

export interface Ledger {
  period: string;
  regionCode: string;
  communities: LedgerRow[];
  streets: LedgerRow[];
  districts: LedgerRow[];
  total: LedgerFigures;
}

const PREFIX: Record<Exclude<LedgerLevel, 'community'>, number> = { street: 9, district: 6 };

export function zeroFigures(): LedgerFigures {
  return Object.fromEntries(LEDGER_COLUMNS.map((c) => [c.key, 0])) as LedgerFigures;
}

function add(into: LedgerFigures, row: LedgerFigures): void {
  for (const { key } of LEDGER_COLUMNS) into[key] += row[key];
}

function rollUp(rows: LedgerRow[], level: Exclude<LedgerLevel, 'community'>, names: ReadonlyMap<string, string>): LedgerRow[] {
  const totals = new Map<string, LedgerRow>();
  for (const row of rows) {
    const code = row.regionCode.slice(0, PREFIX[level]);
    const total = totals.get(code) ?? { level, regionCode: code, name: names.get(code) ?? null, ...zeroFigures() };
    add(total, row);
    totals.set(code, total);
  }
  return [...totals.values()].sort((a, b) => a.regionCode.localeCompare(b.regionCode));
}

/** Builds the ledger from each community's figures; names maps region codes to their names. */
export function buildLedger(
  period: string,
  regionCode: string,
  communities: { communityCode: string; figures: LedgerFigures }[],
  names: ReadonlyMap<string, string> = new Map(),
): Ledger {
  const rows = communities
    .map((c): LedgerRow => ({ level: 'community', regionCode: c.communityCode, name: names.get(c.communityCode) ?? null, ...c.figures }))
    .sort((a, b) => a.regionCode.localeCompare(b.regionCode));
  const total = zeroFigures();
  for (const row of rows) add(total, row);
  return { period, regionCode, communities: rows, streets: rollUp(rows, 'street', names), districts: rollUp(rows, 'district', names), total };
}
