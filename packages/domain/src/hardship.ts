/**
 * Hardship categories (就业困难群体, SPEC §3), derived for a whole household
 * at a reference instant, on its date in the city's calendar. Pure: the
 * services store the result and re-derive it whenever a member, the household
 * or an employment status changes (and daily, for what the calendar changes).
 */
import { isOlder4050, isWorkingAge, type AgedPerson } from './age.ts';
import { addMonths, cityDate } from './calendar.ts';
import { HARDSHIP_CATEGORIES, type HardshipCategory, type SeekerStatus } from './enums.ts';
import { couplesOf, singleParentsOf, type FamilyHousehold, type FamilyMember } from './family.ts';

export interface HardshipMember extends AgedPerson, FamilyMember {
  status: SeekerStatus;
  ableToWork: boolean;
  willingToWork: boolean;
  laidOff: boolean;
  minimumLivelihood: boolean;
  disabled: boolean;
  /** 'YYYY-MM-DD', set while unemployed. */
  unemployedSince: string | null;
}

export interface HardshipHousehold extends FamilyHousehold {
  /** Working members who are not registered job seekers. */
  otherEmployedMembers: number;
  /** The household holds a minimum-livelihood certificate (低保户). */
  minimumLivelihood?: boolean;
}

/** Which members a household category rests on: one entry per couple, per single parent, else one. */
export interface HardshipBasis {
  category: HardshipCategory;
  memberIds: string[];
}

export interface HardshipResult {
  household: HardshipCategory[];
  members: Record<string, HardshipCategory[]>;
  basis: HardshipBasis[];
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
 * Derives the household's categories and each member's, and what each household category rests on.
 * - DUAL_UNEMPLOYED: both spouses of a couple registered unemployed (every couple of the household).
 * - DUAL_LAID_OFF: both spouses of a couple laid off and neither re-employed (both still unemployed).
 * - SINGLE_PARENT: a single parent of a minor child in the household, unemployed.
 * - ZERO_EMPLOYMENT_HOUSEHOLD: at least one working-age member (16 to the retirement date) able and
 *   willing to work, and nobody employed (no member employed or in flexible work, no other employed member).
 * - MINIMUM_LIVELIHOOD is granted to a household: with its certificate recorded every member holds it;
 *   without, the members flagged on their own hold it, and mark the household.
 * Household categories go to the members they rest on: dual ones to both spouses of the couple, single
 * parent to the parent, zero employment and a certified minimum livelihood to every member.
 */
export function deriveHardship(household: HardshipHousehold | null, members: HardshipMember[], at: Date = new Date()): HardshipResult {
  const date = cityDate(at);
  const result: HardshipResult = { household: [], members: {}, basis: [] };
  const perMember = new Map<string, Set<HardshipCategory>>(members.map((m) => [m.id, new Set(categoriesOn(m, date))]));
  if (!household) {
    for (const m of members) result.members[m.id] = ordered(perMember.get(m.id)!);
    return result;
  }
  const hh = new Set<HardshipCategory>();
  const give = (c: HardshipCategory, to: HardshipMember[]) => {
    hh.add(c);
    for (const m of to) perMember.get(m.id)!.add(c);
    // Sorted, so that the same family gives the same basis whatever order its members were read in.
    result.basis.push({ category: c, memberIds: to.map((m) => m.id).sort() });
  };
  for (const couple of couplesOf(members)) {
    if (couple.some((m) => m.status !== 'unemployed')) continue;
    give('DUAL_UNEMPLOYED', couple);
    if (couple.every((m) => m.laidOff)) give('DUAL_LAID_OFF', couple);
  }
  for (const parent of singleParentsOf(household, members, date)) if (parent.status === 'unemployed') give('SINGLE_PARENT', [parent]);
  const anyEmployed = household.otherEmployedMembers > 0 || members.some((m) => isEmployed(m.status));
  const canWork = members.some((m) => m.status !== 'withdrawn' && m.ableToWork && m.willingToWork && isWorkingAge(m, date));
  if (!anyEmployed && canWork) give('ZERO_EMPLOYMENT_HOUSEHOLD', members);
  const flagged = household.minimumLivelihood ? members : members.filter((m) => m.minimumLivelihood);
  if (household.minimumLivelihood || flagged.length) give('MINIMUM_LIVELIHOOD', flagged);
  result.household = ordered(hh);
  const rank = (c: HardshipCategory) => HARDSHIP_CATEGORIES.indexOf(c);
  result.basis.sort((a, b) => rank(a.category) - rank(b.category));
  for (const m of members) result.members[m.id] = ordered(perMember.get(m.id)!);
  return result;
}

/** Whether two category lists hold the same categories. */
export function sameCategories(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c) => b.includes(c));
}
