/**
 * Couples and single parents within a household (SPEC §3). A household of
 * several generations holds several couples: members name their spouse
 * (`spouseId`) and their parents (`parentIds`) among the household's members.
 * A household whose head and `spouse` name no spouse keeps them as its couple,
 * as callers that know nothing of the links recorded it.
 */
import { ageAt } from './age.ts';
import type { Relationship } from './enums.ts';

/** Under this age a child is a minor (未成年). */
export const MINOR_AGE = 18;

export interface FamilyMember {
  id: string;
  relationship: Relationship | null;
  birthDate: string;
  /** The member's spouse in the same household. */
  spouseId?: string | null;
  /** The member's parents in the same household. */
  parentIds?: readonly string[];
  /** The member's own children under 18 in the household who are not registered seekers. */
  ownMinorChildren?: number;
  /** Single, divorced or widowed, raising their children without a spouse in the household. */
  raisingAlone?: boolean;
}

export interface FamilyHousehold {
  /** The head's: a single-parent household (callers that do not link members). */
  singleParent: boolean;
  /** The head's minor children (callers that do not link members). */
  minorChildren: number;
}

/** The household's couples: every spouse link between two members, else the head and the `spouse`. */
export function couplesOf<M extends FamilyMember>(members: readonly M[]): [M, M][] {
  const byId = new Map(members.map((m) => [m.id, m]));
  const paired = new Set<string>();
  const couples: [M, M][] = [];
  for (const m of members) {
    const spouse = m.spouseId ? byId.get(m.spouseId) : undefined;
    if (!spouse || spouse === m || paired.has(m.id) || paired.has(spouse.id)) continue;
    paired.add(m.id).add(spouse.id);
    couples.push([m, spouse]);
  }
  const head = members.find((m) => m.relationship === 'head');
  const spouse = members.find((m) => m.relationship === 'spouse');
  if (head && spouse && !head.spouseId && !spouse.spouseId) couples.push([head, spouse]);
  return couples;
}

/**
 * The single parents of a minor child in the household: a member raising
 * children alone (and with no spouse in the household) who has minor children
 * of their own there, registered (a seeker under 18 naming them as parent) or
 * not (`ownMinorChildren`); and the head of a household recorded as
 * single-parent with minor children.
 */
export function singleParentsOf<M extends FamilyMember>(household: FamilyHousehold, members: readonly M[], date: string): M[] {
  const inCouple = new Set(couplesOf(members).flatMap(([a, b]) => [a.id, b.id]));
  return members.filter((m) => {
    if (m.relationship === 'head' && household.singleParent && household.minorChildren > 0) return true;
    if (!m.raisingAlone || inCouple.has(m.id)) return false;
    return (m.ownMinorChildren ?? 0) > 0 || members.some((c) => c.parentIds?.includes(m.id) && ageAt(c.birthDate, date) < MINOR_AGE);
  });
}
