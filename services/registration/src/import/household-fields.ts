import { parseIdNumber, type Relationship } from '@reemploy/domain';
import type { FieldError, ImportRowInput, RowContext } from './rows.ts';

/** Where a row places its person: an existing household, or one named by the file's household key. */
export interface HouseholdRef {
  id?: string;
  key?: string;
  relationship: Relationship;
  attributes: { single_parent?: boolean; minor_children?: number; other_employed_members?: number };
  /** The household's minimum-livelihood certificate, as given (encrypted when stored). */
  certificate?: { number: string; since: string };
  /** The person's family in the household; what the row leaves out stays as stored. */
  family: {
    /** Lookup hashes of the identity numbers named as spouse and parents. */
    spouseHash?: string;
    parentHashes?: string[];
    ownMinorChildren?: number;
    raisingAlone?: boolean;
  };
}

const HOUSEHOLD_FIELDS = ['singleParent', 'minorChildren', 'otherEmployedMembers', 'minimumLivelihoodCertificate', 'minimumLivelihoodSince'] as const;
const FAMILY_FIELDS = ['spouseIdNumber', 'parentIdNumbers', 'ownMinorChildren', 'raisingAlone'] as const;

/** The identity numbers a row names as spouse and parents, as lookup hashes. */
function familyOf(input: ImportRowInput, c: RowContext, errors: FieldError[]): HouseholdRef['family'] {
  const hash = (field: string, value: string) => {
    const id = parseIdNumber(value, c.now);
    if (id.ok) return c.pii.hash(id.idNumber);
    errors.push({ field, message: id.reason });
    return '';
  };
  return {
    ...(input.spouseIdNumber !== undefined ? { spouseHash: hash('spouseIdNumber', input.spouseIdNumber) } : {}),
    ...(input.parentIdNumbers !== undefined ? { parentHashes: input.parentIdNumbers.map((n) => hash('parentIdNumbers', n)) } : {}),
    ...(input.ownMinorChildren !== undefined ? { ownMinorChildren: input.ownMinorChildren } : {}),
    ...(input.raisingAlone !== undefined ? { raisingAlone: input.raisingAlone } : {}),
  };
}

/** The household fields of a row, checked on their own (the household itself is checked when the row is stored). */
export function householdOf(input: ImportRowInput, c: RowContext, errors: FieldError[]): HouseholdRef | undefined {
  const attributes = {
    ...(input.singleParent !== undefined ? { single_parent: input.singleParent } : {}),
    ...(input.minorChildren !== undefined ? { minor_children: input.minorChildren } : {}),
    ...(input.otherEmployedMembers !== undefined ? { other_employed_members: input.otherEmployedMembers } : {}),
  };
  const householdField = HOUSEHOLD_FIELDS.find((k) => input[k] !== undefined);
  if (input.householdId !== undefined && input.householdKey !== undefined) {
    errors.push({ field: 'householdKey', message: 'give householdId or householdKey, not both' });
    return undefined;
  }
  if (input.householdId === undefined && input.householdKey === undefined) {
    if (input.relationship !== undefined) errors.push({ field: 'relationship', message: 'needs householdId or householdKey' });
    const familyField = FAMILY_FIELDS.find((k) => input[k] !== undefined);
    if (familyField) errors.push({ field: familyField, message: 'is about the household: give householdId or householdKey with it' });
    if (householdField) errors.push({ field: householdField, message: 'is a household field: give householdKey with it' });
    return undefined;
  }
  if (input.relationship === undefined) {
    errors.push({ field: 'relationship', message: `is required with ${input.householdId !== undefined ? 'householdId' : 'householdKey'}` });
    return undefined;
  }
  if (input.householdId !== undefined && householdField) {
    errors.push({ field: 'householdId', message: 'an existing household changes through PATCH /v1/households/{id}; household fields go with householdKey' });
    return undefined;
  }
  const { minimumLivelihoodCertificate: number, minimumLivelihoodSince: since } = input;
  if ((number === undefined) !== (since === undefined)) {
    errors.push({ field: number === undefined ? 'minimumLivelihoodCertificate' : 'minimumLivelihoodSince', message: 'the certificate number and its date go together' });
    return undefined;
  }
  if (since !== undefined && since > c.today) {
    errors.push({ field: 'minimumLivelihoodSince', message: 'is in the future' });
    return undefined;
  }
  const family = familyOf(input, c, errors);
  return {
    ...(input.householdId !== undefined ? { id: input.householdId } : { key: input.householdKey! }),
    relationship: input.relationship,
    attributes,
    ...(number !== undefined && since !== undefined ? { certificate: { number, since } } : {}),
    family,
  };
}
