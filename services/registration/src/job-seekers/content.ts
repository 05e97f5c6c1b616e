import { ageAt, cityDate, cityDayStart, latestBirthDate } from '@reemploy/domain';
import type { PiiCipher } from '@reemploy/pii';

/**
 * The latest day the person can have been born, as far as the age every caller sees tells. Dates
 * about a person (unemployedSince, an employment change, a service record) are checked against it,
 * not against the birth date: refusals checked against the birth date would answer, date by date,
 * the eight digits the identity-number mask hides. Only dates in the first year of a life are
 * refused that the birth date itself would allow.
 */
export function bornBy(birthDate: string, now = new Date()): string {
  const today = cityDate(now);
  return latestBirthDate(ageAt(birthDate, today), today);
}

/** Whether an instant lies before the person was born (as far as their age tells: bornBy), in the city's time. */
export function beforeBirth(at: Date, birthDate: string): boolean {
  return at < cityDayStart(bornBy(birthDate));
}

/**
 * A keyed hash of what a caller registered for a person, so that an identical
 * re-import is recognised without decrypting anything. Keyed: it reveals
 * nothing about the content.
 */
export function contentHash(pii: PiiCipher, input: object): string {
  const keys = Object.keys(input).sort();
  return pii.hash(JSON.stringify(keys.map((k) => [k, (input as Record<string, unknown>)[k] ?? null])));
}
