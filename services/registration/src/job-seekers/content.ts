import { cityDayStart } from '@reemploy/domain';
import type { PiiCipher } from '@reemploy/pii';

/** Whether an instant lies before the person's birth date began in the city: nothing of theirs happened then. */
export function beforeBirth(at: Date, birthDate: string): boolean {
  return at < cityDayStart(birthDate);
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
