import type { Transaction } from 'kysely';
import type { RegistrationDB } from '../database.ts';
import { familyProblem, type FamilyLinks } from '../job-seekers/family.ts';
import { findSeekerIdsByHashes, type JobSeekerRow } from '../job-seekers/repository.ts';
import type { FieldError, PreparedRow } from './rows.ts';

const FAMILY_FIELDS: Record<keyof FamilyLinks, string> = { spouseId: 'spouseIdNumber', parentIds: 'parentIdNumbers', raisingAlone: 'raisingAlone' };

/**
 * The row's links in its household, resolved from identity numbers to members and checked as
 * POST /v1/job-seekers checks them; what the row leaves out stays as stored while the person stays.
 */
export async function familyLinks(trx: Transaction<RegistrationDB>, row: PreparedRow, existing: JobSeekerRow | undefined, householdId: string): Promise<FamilyLinks | { errors: FieldError[] }> {
  const { spouseHash, parentHashes, raisingAlone } = row.household!.family;
  const seekerId = existing?.id ?? row.id;
  const hashes = [...(spouseHash ? [spouseHash] : []), ...(parentHashes ?? [])].filter((h) => h !== row.id_number_hash);
  const found = hashes.length ? await findSeekerIdsByHashes(trx, hashes) : [];
  const idOf = (hash: string) => (hash === row.id_number_hash ? seekerId : found.find((f) => f.id_number_hash === hash)?.id);
  if (spouseHash && !idOf(spouseHash)) return { errors: [{ field: 'spouseIdNumber', message: 'is not a member of this household' }] };
  if (parentHashes?.some((h) => !idOf(h))) return { errors: [{ field: 'parentIdNumbers', message: 'names someone who is not a member of this household' }] };
  const stays = existing?.household_id === householdId;
  const links: FamilyLinks = {
    spouseId: spouseHash ? idOf(spouseHash)! : stays ? existing!.spouse_id : null,
    parentIds: parentHashes ? parentHashes.map((h) => idOf(h)!) : stays ? existing!.parent_ids : [],
    raisingAlone: raisingAlone ?? existing?.raising_alone ?? false,
  };
  const problem = await familyProblem(trx, seekerId, householdId, links);
  return problem ? { errors: [{ field: FAMILY_FIELDS[problem.field], message: problem.message }] } : links;
}
