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

/** Whether an instant lies before the person's birth date began in the city: nothing of theirs happened then. */
export function beforeBirth(at: Date, birthDate: string): boolean {
  return at.getTime() < Date.parse(`${birthDate}T00:00:00+08:00`);
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
