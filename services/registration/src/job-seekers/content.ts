import type { PiiCipher } from '@reemploy/pii';

/** Today's calendar date, UTC (the reference of every age and duration here). */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
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
