import {
  ageAt,
  ageBand,
  cityDate,
  maskIdNumber,
  maskPhone,
  retirementDate,
  type EducationLevel,
  type Gender,
  type HardshipCategory,
  type Relationship,
  type RetirementScheme,
  type SeekerStatus,
} from '@reemploy/domain';
import type { HardshipMember } from '@reemploy/domain/hardship';
import type { EventPayload } from '@reemploy/events';
import type { Caller } from '@reemploy/http-kit';
import type { PiiCipher } from '@reemploy/pii';
import { seekerPii } from './pii.ts';
import type { JobSeekerRow } from './repository.ts';
import type { JobSeekerView } from './schemas.ts';

/** `王**`: the family name kept, the rest hidden. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

export function toView(pii: PiiCipher, caller: Caller, row: JobSeekerRow, at = new Date()): JobSeekerView {
  const reveal = caller.scopes.has('pii:read');
  // An anonymised seeker (retention) has no identity number, name or phone left: empty strings.
  const idNumber = row.id_number_enc ? pii.decrypt(row.id_number_enc, seekerPii(row.id, 'id_number_enc')) : '';
  const name = row.name_enc ? pii.decrypt(row.name_enc, seekerPii(row.id, 'name_enc')) : '';
  const phone = row.phone_enc ? pii.decrypt(row.phone_enc, seekerPii(row.id, 'phone_enc')) : null;
  const age = ageAt(row.birth_date, cityDate(at));
  const scheme = row.retirement_scheme as RetirementScheme;
  return {
    id: row.id,
    idNumber: reveal || !idNumber ? idNumber : maskIdNumber(idNumber),
    name: reveal || !name ? name : maskName(name),
    phone: phone === null ? null : reveal ? phone : maskPhone(phone),
    gender: row.gender as Gender,
    // The digits the identity-number mask hides: shown with pii:read only.
    ...(reveal ? { birthDate: row.birth_date } : {}),
    age,
    ageBand: ageBand(age),
    retirementScheme: scheme,
    // The birth date plus a known offset: it would unmask the identity number's birth digits.
    ...(reveal ? { retirementDate: retirementDate(scheme, row.birth_date) } : {}),
    communityCode: row.community_code,
    householdId: row.household_id,
    relationship: row.relationship as Relationship | null,
    spouseId: row.spouse_id,
    parentIds: row.parent_ids,
    ownMinorChildren: row.own_minor_children,
    raisingAlone: row.raising_alone,
    education: row.education as EducationLevel,
    skills: row.skills,
    desiredOccupations: row.desired_occupations,
    expectedMonthlyWage: row.expected_monthly_wage,
    ableToWork: row.able_to_work,
    willingToWork: row.willing_to_work,
    laidOff: row.laid_off,
    minimumLivelihood: row.minimum_livelihood,
    disabled: row.disabled,
    unemployedSince: row.unemployed_since,
    status: row.status as SeekerStatus,
    statusSince: row.status_since?.toISOString() ?? null,
    employerName: row.employer_name,
    hardshipCategories: row.hardship_categories as HardshipCategory[],
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The full snapshot matching projects: never a diff. */
export function seekerSnapshot(row: JobSeekerRow): EventPayload<'seeker.registered'> {
  return {
    seekerId: row.id,
    householdId: row.household_id,
    communityCode: row.community_code,
    gender: row.gender as Gender,
    birthDate: row.birth_date,
    retirementScheme: row.retirement_scheme as RetirementScheme,
    education: row.education as EducationLevel,
    skills: row.skills,
    desiredOccupations: row.desired_occupations,
    expectedMonthlyWage: row.expected_monthly_wage,
    ableToWork: row.able_to_work,
    willingToWork: row.willing_to_work,
    status: row.status as SeekerStatus,
    statusSince: row.status_since?.toISOString() ?? null,
    hardshipCategories: row.hardship_categories as HardshipCategory[],
  };
}

export function toHardshipMember(row: JobSeekerRow): HardshipMember {
  return {
    id: row.id,
    relationship: row.relationship as Relationship | null,
    spouseId: row.spouse_id,
    parentIds: row.parent_ids,
    ownMinorChildren: row.own_minor_children,
    raisingAlone: row.raising_alone,
    gender: row.gender as Gender,
    birthDate: row.birth_date,
    retirementScheme: row.retirement_scheme as RetirementScheme,
    status: row.status as SeekerStatus,
    ableToWork: row.able_to_work,
    willingToWork: row.willing_to_work,
    laidOff: row.laid_off,
    minimumLivelihood: row.minimum_livelihood,
    disabled: row.disabled,
    unemployedSince: row.unemployed_since,
  };
}
