import type { Kysely, Transaction } from 'kysely';
import type { RegistrationDB } from '../database.ts';
import { findNamedMembers } from './repository.ts';

/** What a seeker says of their family within the household (SPEC §7). */
export interface FamilyLinks {
  spouseId: string | null;
  parentIds: string[];
  raisingAlone: boolean;
}

/** A problem with one field, named as the seeker's body names it. */
export interface FamilyProblem {
  field: 'spouseId' | 'parentIds' | 'raisingAlone';
  message: string;
}

/**
 * Checks a seeker's links against the household it will belong to: the spouse
 * and the parents are other members of that household; a spouse is one
 * person's (a member already linked to a third is refused); a member with a
 * spouse in the household does not raise children alone.
 */
export async function familyProblem(
  db: Kysely<RegistrationDB> | Transaction<RegistrationDB>,
  seekerId: string | undefined,
  householdId: string | null,
  links: FamilyLinks,
): Promise<FamilyProblem | undefined> {
  const { spouseId, parentIds, raisingAlone } = links;
  if (!householdId) {
    if (spouseId) return { field: 'spouseId', message: 'needs householdId: the spouse is a member of the same household' };
    if (parentIds.length) return { field: 'parentIds', message: 'needs householdId: parents are members of the same household' };
    return undefined;
  }
  if (spouseId && raisingAlone) return { field: 'raisingAlone', message: 'a member whose spouse lives in the household does not raise children alone' };
  if (spouseId === seekerId) return { field: 'spouseId', message: 'names the person themself' };
  if (seekerId && parentIds.includes(seekerId)) return { field: 'parentIds', message: 'names the person themself' };
  if (spouseId && parentIds.includes(spouseId)) return { field: 'parentIds', message: 'names the spouse' };
  const named = [...new Set([...(spouseId ? [spouseId] : []), ...parentIds])];
  const rows = named.length ? await findNamedMembers(db, named) : [];
  const member = (id: string) => rows.find((r) => r.id === id && r.household_id === householdId);
  if (spouseId) {
    const spouse = member(spouseId);
    if (!spouse) return { field: 'spouseId', message: 'is not a member of this household' };
    if (spouse.spouse_id && spouse.spouse_id !== seekerId) return { field: 'spouseId', message: 'is already the spouse of another member' };
    if (spouse.raising_alone) return { field: 'spouseId', message: 'is recorded as raising children alone' };
  }
  if (parentIds.some((id) => !member(id))) return { field: 'parentIds', message: 'names someone who is not a member of this household' };
  return undefined;
}
