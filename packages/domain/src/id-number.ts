import type { Gender } from './enums.ts';
import { ageAt, MINIMUM_WORKING_AGE } from './age.ts';
import { cityDate, isCalendarDate } from './calendar.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export type IdNumberResult =
  | { ok: true; idNumber: string; regionCode: string; birthDate: string; gender: Gender }
  | { ok: false; reason: string };

/** ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/**
 * Validates a resident identity number (GB 11643). A lower-case `x` check
 * character is accepted and normalised to upper case; the returned
 * `idNumber` is the form that is stored, hashed and compared.
 */
export function parseIdNumber(input: string, at: Date = new Date()): IdNumberResult {
  if (/^\d{15}$/.test(input)) {
    return { ok: false, reason: 'this is a 15-digit legacy number; send the 18-digit resident identity number' };
  }
  if (/[\uFF10-\uFF19\uFF38\uFF58]/.test(input)) {
    return { ok: false, reason: 'must use ASCII digits, not full-width characters' };
  }
  if (input.length !== 18) return { ok: false, reason: 'must be 18 characters' };
  const normalised = input.slice(0, 17) + input[17]!.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(normalised)) return { ok: false, reason: 'must be 17 digits and a check character 0-9 or X' };
  if (idNumberCheckChar(normalised) !== normalised[17]) return { ok: false, reason: 'check character does not match' };
  const y = Number(normalised.slice(6, 10));
  const m = Number(normalised.slice(10, 12));
  const d = Number(normalised.slice(12, 14));
  if (y < 1900) return { ok: false, reason: 'birth date is before 1900' };
  if (!isCalendarDate(y, m, d)) return { ok: false, reason: 'birth date is not a real date' };
  const birthDate = `${normalised.slice(6, 10)}-${normalised.slice(10, 12)}-${normalised.slice(12, 14)}`;
  const today = cityDate(at);
  if (birthDate > today) return { ok: false, reason: 'birth date is in the future' };
  if (ageAt(birthDate, today) < MINIMUM_WORKING_AGE) return { ok: false, reason: `person is under ${MINIMUM_WORKING_AGE}` };
  return {
    ok: true,
    idNumber: normalised,
    regionCode: normalised.slice(0, 6),
    birthDate,
    gender: Number(normalised[16]) % 2 === 1 ? 'male' : 'female',
  };
}

/** Builds a valid number from region, birth date and sequence (test data, generators). */
export function makeIdNumber(regionCode: string, birthDate: string, sequence: number, gender: Gender): string {
  let seq = sequence % 1000;
  if ((seq % 2 === 1) !== (gender === 'male')) seq = (seq + 1) % 1000;
  const first17 = regionCode + birthDate.replaceAll('-', '') + String(seq).padStart(3, '0');
  return first17 + idNumberCheckChar(first17);
}

/** `320508********123X`: region and the last four kept, the birth date hidden. */
export function maskIdNumber(idNumber: string): string {
  return idNumber.slice(0, 6) + '*'.repeat(8) + idNumber.slice(14);
}
