/** Keys below this many bits of estimated entropy are refused outside development and test. */
export const MIN_KEY_ENTROPY_BITS = 128;

/**
 * Shannon entropy of the symbols, in bits for the whole sequence, with the
 * Miller–Madow correction ((distinct − 1) / 2n per symbol): the plain estimate
 * is biased low on samples as short as a 32-byte key.
 */
function sampleBits(symbols: number[]): number {
  if (symbols.length === 0) return 0;
  const counts = new Map<number, number>();
  for (const s of symbols) counts.set(s, (counts.get(s) ?? 0) + 1);
  if (counts.size === 1) return 0;
  let perSymbol = 0;
  for (const n of counts.values()) {
    const p = n / symbols.length;
    perSymbol -= p * Math.log2(p);
  }
  perSymbol += (counts.size - 1) / (2 * symbols.length * Math.LN2);
  return perSymbol * symbols.length;
}

const printable = (b: number) => b >= 0x20 && b <= 0x7e;
const hexDigit = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);

/**
 * A conservative estimate of a key's entropy, in bits: the least of
 * - the Shannon entropy of its byte values (repeated bytes score low: `"a".repeat(32)` is 0),
 * - the Shannon entropy of the differences between neighbouring bytes (runs and
 *   sequences score low: bytes 0, 1, 2 … 31 are 0),
 * - for a key that is printable text (a passphrase, not random bytes: 32 random
 *   bytes are all printable once in 10^14), 2 bits a character, or 4 for hex digits.
 * 32 random bytes score 146 bits or more (2 million samples), so a key from
 * `openssl rand -base64 32` always passes 128.
 */
export function estimatedEntropyBits(key: Uint8Array): number {
  const bytes = [...key];
  const differences = bytes.slice(1).map((b, i) => (b - bytes[i]! + 256) % 256);
  const statistical = Math.min(sampleBits(bytes), sampleBits(differences));
  if (!bytes.every(printable)) return statistical;
  return Math.min(statistical, bytes.length * (bytes.every(hexDigit) ? 4 : 2));
}
