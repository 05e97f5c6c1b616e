/**
 * Hardship categories (就業困難群體, SPEC §3), derived for a whole household
 * at a reference instant, on its date in the city's calendar. Pure: the
 * services store the result and re-derive it whenever a member, the household
 * or an employment status changes (and daily, for what the calendar changes).
 */
import { isOlder4050, isWorkingAge, type AgedPerson } from './age.ts';
import { addMonths, cityDate } from './calendar.ts';
import { HARDSHIP_CATEGORIES, type HardshipCategory, type Relationship, type SeekerStatus } from './enums.ts';

export interface HardshipMember extends AgedPerson {
  id: string;
  relationship: Relationship | null;
  status: SeekerStatus;
  ableToWork: boolean;
  willingToWork: boolean;
  laidOff: boolean;
  minimumLivelihood: boolean;
  disabled: boolean;
  /** 'YYYY-MM-DD', set while unemployed. */
  unemployedSince: string | null;
}

export interface HardshipHousehold {
  singleParent: boolean;
  minorChildren: number;
  /** Working members who are not registered job seekers. */
  otherEmployedMembers: number;
}

export interface HardshipResult {
  household: HardshipCategory[];
  members: Record<string, HardshipCategory[]>;
}

export const LONG_TERM_UNEMPLOYED_MONTHS = 12;

const EMPLOYED: ReadonlySet<SeekerStatus> = new Set(['employed', 'flexible']);

export function isEmployed(status: SeekerStatus): boolean {
  return EMPLOYED.has(status);
}

/** Unemployed for twelve months or more on a calendar date: from the same day twelve months on (the month's last day for a shorter month). */
export function isLongTermUnemployed(m: Pick<HardshipMember, 'status' | 'unemployedSince'>, date: string): boolean {
  if (m.status !== 'unemployed' || !m.unemployedSince) return false;
  return addMonths(m.unemployedSince, LONG_TERM_UNEMPLOYED_MONTHS) <= date;
}

function categoriesOn(m: HardshipMember, date: string): HardshipCategory[] {
  const out: HardshipCategory[] = [];
  if (isOlder4050(m, date)) out.push('OLDER_4050');
  if (m.minimumLivelihood) out.push('MINIMUM_LIVELIHOOD');
  if (m.disabled) out.push('DISABLED');
  if (isLongTermUnemployed(m, date)) out.push('LONG_TERM_UNEMPLOYED');
  return out;
}

/** The categories a person carries on their own, household or not, on the city's date of `at`. */
export function individualCategories(m: HardshipMember, at: Date): HardshipCategory[] {
  return categoriesOn(m, cityDate(at));
}

function ordered(set: Set<HardshipCategory>): HardshipCategory[] {
  return HARDSHIP_CATEGORIES.filter((c) => set.has(c));
}

/**
 * Derives the household's categories and each member's.
 * - DUAL_UNEMPLOYED: the head and the spouse are both registered unemployed.
 * - DUAL_LAID_OFF: both laid off and neither re-employed (both still unemployed).
 * - SINGLE_PARENT: a single-parent household with a minor child whose parent (the head) is unemployed.
 * - ZERO_EMPLOYMENT_HOUSEHOLD: at least one working-age member (16 to the retirement date) able and willing to work, and nobody
 *   employed (no member employed or in flexible work, no other employed member).
 * - MINIMUM_LIVELIHOOD is granted per household: any member receiving it marks the household.
 * Household categories go to the members they concern: dual ones to both spouses, single parent to
 * the parent, zero employment to every member.
 */
export function deriveHardship(household: HardshipHousehold | null, members: HardshipMember[], at: Date = new Date()): HardshipResult {
  const date = cityDate(at);
  const result: HardshipResult = { household: [], members: {} };
  const perMember = new Map<string, Set<HardshipCategory>>(members.map((m) => [m.id, new Set(categoriesOn(m, date))]));
  if (!household) {
    for (const m of members) result.members[m.id] = ordered(perMember.get(m.id)!);
    return result;
  }
  const hh = new Set<HardshipCategory>();
  const give = (c: HardshipCategory, to: HardshipMember[]) => {
    hh.add(c);
    for (const m of to) perMember.get(m.id)!.add(c);
  };
  const head = members.find((m) => m.relationship === 'head');
  const spouse = members.find((m) => m.relationship === 'spouse');
  if (head && spouse) {
    if (head.status === 'unemployed' && spouse.status === 'unemployed') give('DUAL_UNEMPLOYED', [head, spouse]);
    if (head.laidOff && spouse.laidOff && head.status === 'unemployed' && spouse.status === 'unemployed') give('DUAL_LAID_OFF', [head, spouse]);
  }
  if (household.singleParent && household.minorChildren > 0 && head?.status === 'unemployed') give('SINGLE_PARENT', [head]);
  const anyEmployed = household.otherEmployedMembers > 0 || members.some((m) => isEmployed(m.status));
  const canWork = members.some((m) => m.status !== 'withdrawn' && m.ableToWork && m.willingToWork && isWorkingAge(m, date));
  if (!anyEmployed && canWork) give('ZERO_EMPLOYMENT_HOUSEHOLD', members);
  if (members.some((m) => m.minimumLivelihood)) hh.add('MINIMUM_LIVELIHOOD');
  result.household = ordered(hh);
  for (const m of members) result.members[m.id] = ordered(perMember.get(m.id)!);
  return result;
}

/** Whether two category lists hold the same categories. */
export function sameCategories(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c) => b.includes(c));
}
