import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { findBadStrings, inRegions, type Caller } from '@reemploy/http-kit';
import { scrubPii } from '@reemploy/http-kit/logging';
import { EDUCATION_LEVELS, parseIdNumber, parseMainlandPhone, type Gender, type Relationship, type RetirementScheme, type SeekerStatus } from '@reemploy/domain';
import { deriveHardship } from '@reemploy/domain/hardship';
import type { PiiCipher } from '@reemploy/pii';
import { bornBy, contentHash } from '../job-seekers/content.ts';
import { seekerPii } from '../job-seekers/pii.ts';
import { schemeMismatch, schemeToRecord } from '../job-seekers/retirement.ts';
import { certificateNumber } from '../households/schemas.ts';
import { createJobSeekerBody } from '../job-seekers/schemas.ts';
import { householdOf, type HouseholdRef } from './household-fields.ts';
import type { RawRow } from './parse.ts';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * An import row: the fields of POST /v1/job-seekers, and, to build a household
 * in the same file, the platform's own household number (`householdKey`) with
 * the household's fields (given on any of its rows; they must agree).
 */
export const importRowBody = createJobSeekerBody.omit({ spouseId: true, parentIds: true }).extend({
  // Checked once, in prepareRow, with the import's reference time (the API schema checks it in a refinement).
  idNumber: z.string().max(32),
  // A file's new people have no ids yet: members name their spouse and parents by identity number.
  spouseIdNumber: z.string().max(32).optional().describe('The spouse, a member of the same household registered on an earlier row or before'),
  parentIdNumbers: z.array(z.string().max(32)).max(2).optional().describe('The parents, members of the same household registered on an earlier row or before'),
  householdKey: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters')
    .optional()
    .describe("The household number in the sending platform's ledger (户号), unique within the community; rows sharing it form one household"),
  singleParent: z.boolean().optional(),
  minorChildren: z.int().min(0).max(20).optional(),
  otherEmployedMembers: z.int().min(0).max(20).optional(),
  minimumLivelihoodCertificate: certificateNumber.optional(),
  minimumLivelihoodSince: z.iso.date().optional(),
});
export type ImportRowInput = z.infer<typeof importRowBody>;

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
  /** As given, else the default for the gender: an import row is the whole record, as every other defaulted field. */
  retirement_scheme: string;
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
  household?: HouseholdRef;
}

export interface RowContext {
  caller: Pick<Caller, 'regions'>;
  pii: PiiCipher;
  communities: Set<string>;
  today: string;
  now: Date;
  femaleRetirementScheme: RetirementScheme;
}

// Columns of the staging table and their SQL types, in COPY order.
export const STAGED_COLUMNS: [keyof PreparedRow & string, string][] = [
  ['id', 'uuid'], ['id_number_hash', 'text'], ['id_number_enc', 'text'], ['name_enc', 'text'], ['phone_enc', 'text'], ['gender', 'text'],
  ['birth_date', 'date'], ['retirement_scheme', 'text'], ['community_code', 'text'], ['education', 'text'], ['skills', 'text[]'], ['desired_occupations', 'text[]'],
  ['expected_monthly_wage', 'integer'], ['able_to_work', 'boolean'], ['willing_to_work', 'boolean'], ['laid_off', 'boolean'],
  ['minimum_livelihood', 'boolean'], ['disabled', 'boolean'], ['unemployed_since', 'date'], ['hardship_categories', 'text[]'], ['content_hash', 'text'],
];

/** COPY text format: backslash, tab, newline and carriage return escaped; null is \N. */
function copyCell(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (Array.isArray(value)) return copyText(`{${value.map((v) => `"${String(v).replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return copyText(String(value));
}

function copyText(text: string): string {
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : text;
}

const PLAIN_ELEMENT = /^[A-Za-z0-9_.-]+$/;
/** An array literal without quotes when every element is a plain code (as validated codes are). */
const list = (values: string[]) => (values.every((v) => PLAIN_ELEMENT.test(v) && v.toUpperCase() !== 'NULL') ? `{${values.join(',')}}` : undefined);
const nullable = (value: string | number | null) => (value === null ? '\\N' : value);
const bool = (value: boolean) => (value ? 't' : 'f');

/**
 * One line of COPY text for the staging table: the file line, then STAGED_COLUMNS.
 * Every value is validated (digits, dates, enums, codes) or base64url (hashes and
 * ciphertexts), so nothing needs escaping; a list with anything but plain codes
 * takes the general encoder.
 */
export function stagingLine(row: PreparedRow): string {
  const skills = list(row.skills);
  const occupations = list(row.desired_occupations);
  const categories = list(row.hardship_categories);
  if (skills === undefined || occupations === undefined || categories === undefined) return generalLine(row);
  return (
    `${row.line}\t${row.id}\t${row.id_number_hash}\t${row.id_number_enc}\t${row.name_enc}\t${nullable(row.phone_enc)}\t${row.gender}\t` +
    `${row.birth_date}\t${row.retirement_scheme}\t${row.community_code}\t${row.education}\t${skills}\t${occupations}\t` +
    `${nullable(row.expected_monthly_wage)}\t${bool(row.able_to_work)}\t${bool(row.willing_to_work)}\t${bool(row.laid_off)}\t` +
    `${bool(row.minimum_livelihood)}\t${bool(row.disabled)}\t${nullable(row.unemployed_since)}\t${categories}\t${row.content_hash}\n`
  );
}

/** The same line through the general COPY encoder (quotes and escapes). */
export function generalLine(row: PreparedRow): string {
  let out = String(row.line);
  for (const [column] of STAGED_COLUMNS) out += '\t' + copyCell(row[column]);
  return out + '\n';
}

// The hot path of a well-formed row without household fields: the same checks as importRowBody,
// by hand. A row it does not accept outright goes through importRowBody, whose issues are the
// row's report, so the messages stay zod's; a row it accepts gets exactly importRowBody's output
// (test/import-fast-path.test.ts compares the two).
const SOLO_KEYS = new Set([
  'idNumber', 'name', 'phone', 'communityCode', 'education', 'skills', 'desiredOccupations', 'expectedMonthlyWage',
  'ableToWork', 'willingToWork', 'laidOff', 'minimumLivelihood', 'disabled', 'unemployedSince',
]);
const EDUCATION = new Set<string>(EDUCATION_LEVELS);
const COMMUNITY_CODE = /^\d{12}$/;
const SKILL_CODE = /^S\d{3}-\d{2}$/;
const OCCUPATION_CODE = /^[1-8]-\d{2}-\d{2}$/;
// zod's own ISO date pattern (z.iso.date()).
const ISO_DATE = z.core.regexes.date;

const codes = (value: unknown, max: number, pattern: RegExp): string[] | undefined => {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > max) return undefined;
  for (const v of value) if (typeof v !== 'string' || !pattern.test(v)) return undefined;
  return value.slice() as string[];
};
const flag = (value: unknown, fallback: boolean): boolean | undefined => (value === undefined ? fallback : typeof value === 'boolean' ? value : undefined);

/** importRowBody's output for a row it surely accepts; undefined for anything else (zod decides). */
export function fastRowInput(value: Record<string, unknown>): ImportRowInput | undefined {
  for (const key in value) if (!SOLO_KEYS.has(key) || value[key] === undefined) return undefined;
  const { idNumber, name, phone, communityCode, education, expectedMonthlyWage, unemployedSince } = value;
  if (typeof idNumber !== 'string' || idNumber.length > 32) return undefined;
  if (typeof name !== 'string') return undefined;
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 50) return undefined;
  if (phone !== undefined && (typeof phone !== 'string' || phone.length > 20 || !parseMainlandPhone(phone).ok)) return undefined;
  if (typeof communityCode !== 'string' || !COMMUNITY_CODE.test(communityCode)) return undefined;
  if (typeof education !== 'string' || !EDUCATION.has(education)) return undefined;
  const skills = codes(value.skills, 50, SKILL_CODE);
  const desiredOccupations = codes(value.desiredOccupations, 20, OCCUPATION_CODE);
  if (!skills || !desiredOccupations) return undefined;
  if (expectedMonthlyWage !== undefined && (typeof expectedMonthlyWage !== 'number' || !Number.isSafeInteger(expectedMonthlyWage) || expectedMonthlyWage < 0 || expectedMonthlyWage > 1_000_000)) return undefined;
  const ableToWork = flag(value.ableToWork, true);
  const willingToWork = flag(value.willingToWork, true);
  const laidOff = flag(value.laidOff, false);
  const minimumLivelihood = flag(value.minimumLivelihood, false);
  const disabled = flag(value.disabled, false);
  if (ableToWork === undefined || willingToWork === undefined || laidOff === undefined || minimumLivelihood === undefined || disabled === undefined) return undefined;
  if (unemployedSince !== undefined && (typeof unemployedSince !== 'string' || !ISO_DATE.test(unemployedSince))) return undefined;
  return {
    idNumber,
    name: trimmed,
    ...(phone !== undefined ? { phone: phone as string } : {}),
    communityCode,
    education: education as ImportRowInput['education'],
    skills,
    desiredOccupations,
    ...(expectedMonthlyWage !== undefined ? { expectedMonthlyWage } : {}),
    ableToWork,
    willingToWork,
    laidOff,
    minimumLivelihood,
    disabled,
    ...(unemployedSince !== undefined ? { unemployedSince } : {}),
  };
}

/**
 * What contentHash hashes for a row fastRowInput accepted (its keys sorted, absent optional
 * ones left out, idNumber and phone normalised), written out directly.
 */
export function fastContentText(input: ImportRowInput, idNumber: string, phone: string | null): string {
  const s = JSON.stringify;
  return (
    `[["ableToWork",${input.ableToWork}],["communityCode",${s(input.communityCode)}],["desiredOccupations",${s(input.desiredOccupations)}],` +
    `["disabled",${input.disabled}],["education",${s(input.education)}],` +
    (input.expectedMonthlyWage !== undefined ? `["expectedMonthlyWage",${input.expectedMonthlyWage}],` : '') +
    `["idNumber",${s(idNumber)}],["laidOff",${input.laidOff}],["minimumLivelihood",${input.minimumLivelihood}],["name",${s(input.name)}],` +
    `["phone",${phone === null ? 'null' : s(phone)}],["skills",${s(input.skills)}],` +
    (input.unemployedSince !== undefined ? `["unemployedSince",${s(input.unemployedSince)}],` : '') +
    `["willingToWork",${input.willingToWork}]]`
  );
}

/** The row's errors; an unknown column named like an identity number or phone is not repeated back. */
function issues(error: z.ZodError): FieldError[] {
  return error.issues
    .slice(0, 10)
    .map((i) => ({ field: scrubPii(i.path.join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(',') : 'row')), message: scrubPii(i.message) }));
}

/**
 * Validates one row as POST /v1/job-seekers would, and prepares it: the
 * identity number and phone encrypted, the lookup and content hashes, the
 * categories a person carries alone. Rows naming a household are checked
 * against it (one head, one spouse, same community) when they are stored.
 */
export function prepareRow(raw: RawRow, c: RowContext): { row: PreparedRow } | { errors: FieldError[] } {
  let value = raw.value;
  if (raw.text !== undefined) {
    try {
      const parsed: unknown = JSON.parse(raw.text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { errors: [{ field: 'row', message: 'must be a JSON object' }] };
      value = parsed as Record<string, unknown>;
    } catch {
      return { errors: [{ field: 'row', message: 'is not valid JSON' }] };
    }
  }
  if (raw.error || !value) return { errors: [{ field: 'row', message: raw.error ?? 'is empty' }] };
  // The same strict input as the API: no NUL or control characters, lone surrogates or numbers beyond 2^53.
  const bad = findBadStrings(value, '');
  if (bad.length) return { errors: bad };
  const fast = fastRowInput(value);
  const parsed = fast ? undefined : importRowBody.safeParse(value);
  const given = value.idNumber;
  const id = typeof given === 'string' && given.length <= 32 ? parseIdNumber(given, c.now) : undefined;
  const idError: FieldError[] = id && !id.ok ? [{ field: 'idNumber', message: id.reason }] : [];
  if (parsed && !parsed.success) return { errors: [...idError, ...issues(parsed.error)] };
  if (!id?.ok) return { errors: idError };
  const input = fast ?? parsed!.data!;
  const errors: FieldError[] = [];
  const household = householdOf(input, c, errors);
  if (!inRegions(c.caller as Caller, input.communityCode)) errors.push({ field: 'communityCode', message: 'outside your regions' });
  else if (!c.communities.has(input.communityCode)) errors.push({ field: 'communityCode', message: 'is not a known community code' });
  if (input.unemployedSince && input.unemployedSince > c.today) errors.push({ field: 'unemployedSince', message: 'is in the future' });
  else if (input.unemployedSince && input.unemployedSince < bornBy(id.birthDate, c.now)) errors.push({ field: 'unemployedSince', message: 'is before the birth date' });
  const retirementScheme = schemeToRecord(input.retirementScheme, id.gender, c.femaleRetirementScheme);
  if (!retirementScheme) errors.push({ field: 'retirementScheme', message: schemeMismatch(input.retirementScheme!, id.gender) });
  if (errors.length || !retirementScheme) return { errors };
  const phone = input.phone ? input.phone.replace(/[\s-]/g, '').replace(/^\+86/, '') : null;
  const derived = deriveHardship(
    null,
    [
      {
        id: 'row',
        relationship: null as Relationship | null,
        gender: id.gender as Gender,
        birthDate: id.birthDate,
        retirementScheme,
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
  // A new person's id; a person registered already keeps theirs, and store.ts binds the values to it.
  const rowId = randomUUID();
  return {
    row: {
      line: raw.line,
      id: rowId,
      id_number_hash: c.pii.hash(id.idNumber),
      id_number_enc: c.pii.encrypt(id.idNumber, seekerPii(rowId, 'id_number_enc')),
      name_enc: c.pii.encrypt(input.name, seekerPii(rowId, 'name_enc')),
      phone_enc: phone ? c.pii.encrypt(phone, seekerPii(rowId, 'phone_enc')) : null,
      gender: id.gender,
      birth_date: id.birthDate,
      retirement_scheme: retirementScheme,
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
      content_hash: fast ? c.pii.hash(fastContentText(fast, id.idNumber, phone)) : contentHash(c.pii, { ...input, idNumber: id.idNumber, phone }),
      ...(household ? { household } : {}),
    },
  };
}

/** A prepared row: failed with its errors, a staging line for a person alone, or the row itself when it names a household. */
export type PreparedResult = { line: number; errors: FieldError[] } | { line: number; hash: string; copy: string } | { line: number; hash: string; row: PreparedRow };

/** Prepares a batch of rows, in a worker thread or, for a small upload, in place. */
export function prepareBatch(rows: RawRow[], c: RowContext): PreparedResult[] {
  return rows.map((raw) => {
    const prepared = prepareRow(raw, c);
    if ('errors' in prepared) return { line: raw.line, errors: prepared.errors };
    const { row } = prepared;
    return row.household ? { line: row.line, hash: row.id_number_hash, row } : { line: row.line, hash: row.id_number_hash, copy: stagingLine(row) };
  });
}
