import { randomUUID } from 'node:crypto';
import { inRegions, type Caller } from '@reemploy/http-kit';
import { parseIdNumber, type Gender, type Relationship, type SeekerStatus } from '@reemploy/domain';
import { deriveHardship } from '@reemploy/domain/hardship';
import type { PiiCipher } from '@reemploy/pii';
import { contentHash, todayUtc } from '../job-seekers/content.ts';
import { createJobSeekerBody } from '../job-seekers/schemas.ts';
import type { RawRow } from './parse.ts';

export interface FieldError {
  field: string;
  message: string;
}

/** A row ready to store: encrypted, hashed and derived, in the job_seekers column names. */
export interface PreparedRow {
  line: number;
  id: string;
  id_number_hash: string;
  id_number_enc: string;
  name_enc: string;
  phone_enc: string | null;
  gender: string;
  birth_date: string;
  community_code: string;
  education: string;
  skills: string[];
  desired_occupations: string[];
  expected_monthly_wage: number | null;
  able_to_work: boolean;
  willing_to_work: boolean;
  laid_off: boolean;
  minimum_livelihood: boolean;
  disabled: boolean;
  /** As given: null keeps the stored date on an update and means "today" on a create. */
  unemployed_since: string | null;
  hardship_categories: string[];
  content_hash: string;
}

export interface RowContext {
  caller: Caller;
  pii: PiiCipher;
  communities: Set<string>;
  today: string;
  now: Date;
}

/**
 * Validates one row as POST /v1/job-seekers would, and prepares it. Households
 * are joined through PATCH, where the spouse and community rules are checked
 * against the household under a lock.
 */
export function prepareRow(raw: RawRow, c: RowContext): { row: PreparedRow } | { errors: FieldError[] } {
  if (raw.error || !raw.value) return { errors: [{ field: 'row', message: raw.error ?? 'is empty' }] };
  const parsed = createJobSeekerBody.safeParse(raw.value);
  if (!parsed.success) {
    return { errors: parsed.error.issues.slice(0, 10).map((i) => ({ field: i.path.join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(',') : 'row'), message: i.message })) };
  }
  const input = parsed.data;
  const id = parseIdNumber(input.idNumber, c.now);
  if (!id.ok) return { errors: [{ field: 'idNumber', message: id.reason }] };
  const errors: FieldError[] = [];
  if (input.householdId !== undefined || input.relationship !== undefined) {
    errors.push({ field: input.householdId !== undefined ? 'householdId' : 'relationship', message: 'join households through PATCH /v1/job-seekers/{id}, not the import' });
  }
  if (!inRegions(c.caller, input.communityCode)) errors.push({ field: 'communityCode', message: 'outside your regions' });
  else if (!c.communities.has(input.communityCode)) errors.push({ field: 'communityCode', message: 'is not a known community code' });
  if (input.unemployedSince && input.unemployedSince > c.today) errors.push({ field: 'unemployedSince', message: 'is in the future' });
  else if (input.unemployedSince && input.unemployedSince < id.birthDate) errors.push({ field: 'unemployedSince', message: 'is before the birth date' });
  if (errors.length) return { errors };
  const phone = input.phone ? input.phone.replace(/[\s-]/g, '').replace(/^\+86/, '') : null;
  const derived = deriveHardship(
    null,
    [
      {
        id: 'row',
        relationship: null as Relationship | null,
        gender: id.gender as Gender,
        birthDate: id.birthDate,
        status: 'unemployed' as SeekerStatus,
        ableToWork: input.ableToWork,
        willingToWork: input.willingToWork,
        laidOff: input.laidOff,
        minimumLivelihood: input.minimumLivelihood,
        disabled: input.disabled,
        unemployedSince: input.unemployedSince ?? c.today,
      },
    ],
    c.now,
  );
  return {
    row: {
      line: raw.line,
      id: randomUUID(),
      id_number_hash: c.pii.hash(id.idNumber),
      id_number_enc: c.pii.encrypt(id.idNumber),
      name_enc: c.pii.encrypt(input.name),
      phone_enc: phone ? c.pii.encrypt(phone) : null,
      gender: id.gender,
      birth_date: id.birthDate,
      community_code: input.communityCode,
      education: input.education,
      skills: input.skills,
      desired_occupations: input.desiredOccupations,
      expected_monthly_wage: input.expectedMonthlyWage ?? null,
      able_to_work: input.ableToWork,
      willing_to_work: input.willingToWork,
      laid_off: input.laidOff,
      minimum_livelihood: input.minimumLivelihood,
      disabled: input.disabled,
      unemployed_since: input.unemployedSince ?? null,
      hardship_categories: derived.members.row ?? [],
      content_hash: contentHash(c.pii, { ...input, idNumber: id.idNumber, phone }),
    },
  };
}

export { todayUtc };
