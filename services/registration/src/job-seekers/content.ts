import { ageAt, latestBirthDate } from '@reemploy/domain';
import type { PiiCipher } from '@reemploy/pii';

const CITY_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * Today's calendar date in the city (Asia/Shanghai): the date a coordinator
 * writes, so the default and the upper bound of `unemployedSince`. From 16:00
 * to 24:00 UTC it is a day ahead of the UTC date.
 */
export function cityToday(now = new Date()): string {
  return CITY_DATE.format(now);
}

/**
 * The latest day the person can have been born, as far as the age every caller sees tells. Dates
 * about a person (unemployedSince, an employment change, a service record) are checked against it,
 * not against the birth date: refusals checked against the birth date would answer, date by date,
 * the eight digits the identity-number mask hides. Only dates in the first year of a life are
 * refused that the birth date itself would allow.
 */
export function bornBy(birthDate: string, now = new Date()): string {
  return latestBirthDate(ageAt(birthDate, now), now);
}

/** Whether an instant lies before the person was born (as far as their age tells: bornBy), in the city's time. */
export function beforeBirth(at: Date, birthDate: string): boolean {
  return at.getTime() < Date.parse(`${bornBy(birthDate)}T00:00:00+08:00`);
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
