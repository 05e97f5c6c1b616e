import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, randomBytes } from 'node:crypto';

export interface PiiKeys {
  /** Current key: every new ciphertext uses it. */
  keyId: string;
  key: Buffer;
  /** Retired keys that can still decrypt (rotation without downtime). */
  oldKeys?: Record<string, Buffer>;
  /**
   * Key of the lookup hash. Derived from the first key ever used and kept
   * through rotations: changing it would orphan every stored hash.
   */
  hashKey?: Buffer;
  /**
   * Whether values written before ciphertexts were bound to their place
   * (`keyId.iv.tag.ciphertext`) are still read: only while an upgrade
   * re-encrypts them (docs/privacy.md). Off, such a value is refused like a
   * tampered one.
   */
  readUnbound?: boolean;
}

/**
 * Where a value is stored. Its ciphertext carries this as AES-GCM associated
 * data, so it decrypts there and nowhere else: copied into another row or
 * column, it fails its authentication.
 */
export interface PiiPlace {
  table: string;
  column: string;
  /** The row's primary key. */
  row: string;
}

export interface PiiCipher {
  /** `v2.keyId.iv.tag.ciphertext`, base64url parts; AES-256-GCM bound to `place`. */
  encrypt(plaintext: string, place: PiiPlace): string;
  decrypt(stored: string, place: PiiPlace): string;
  /** Keyed hash for equality lookups and uniqueness, never reversible. */
  hash(plaintext: string): string;
  /** Whether a stored value must be written again: under a retired key, or not bound to its place. */
  isStale(stored: string): boolean;
  /** How every value that is not stale begins (`v2.<keyId>.`). */
  readonly currentPrefix: string;
}

/** A stored value that does not belong where it was read (tampered, or moved from another row), or an unbound one no longer read. */
export class PiiIntegrityError extends Error {
  override name = 'PiiIntegrityError';
  constructor(
    readonly reason: 'mismatch' | 'unbound',
    readonly place: PiiPlace,
  ) {
    super(
      reason === 'unbound'
        ? `${place.table}.${place.column} of ${place.row} is not bound to its row (written before values were bound; see docs/privacy.md)`
        : `${place.table}.${place.column} of ${place.row} fails its integrity check (altered, or copied from another row)`,
    );
  }
}

/** Marks a ciphertext bound to its place; a value of four parts predates it. */
const BOUND = 'v2';

/** Whether a stored value is bound to its place (written since binding began). */
export function isBound(stored: string): boolean {
  return stored.startsWith(`${BOUND}.`);
}

// Nonces come from a pool refilled in one call: one CSPRNG call per value cost
// more than the encryption itself in bulk imports. Each nonce is used once.
const NONCE = 12;
const POOL = NONCE * 4096;
let pool = Buffer.alloc(0);
let offset = POOL;
function nextNonce(): Buffer {
  if (offset + NONCE > pool.length) {
    pool = randomBytes(POOL);
    offset = 0;
  }
  // A view, not a copy: a spent pool is replaced, never refilled in place.
  const nonce = pool.subarray(offset, offset + NONCE);
  offset += NONCE;
  return nonce;
}

export function deriveHashKey(key: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'reemploy pii lookup hash', 32));
}

function associatedData(place: PiiPlace): Buffer {
  return Buffer.from(JSON.stringify([BOUND, place.table, place.column, place.row]), 'utf8');
}

export function createPiiCipher(keys: PiiKeys): PiiCipher {
  const all: Record<string, Buffer> = { ...(keys.oldKeys ?? {}), [keys.keyId]: keys.key };
  // A KeyObject: HMAC skips re-importing the raw key on every call (about half its cost in bulk).
  const hashKey = createSecretKey(keys.hashKey ?? deriveHashKey(keys.key));
  const currentPrefix = `${BOUND}.${keys.keyId}.`;

  function open(keyId: string | undefined, iv: string | undefined, tag: string | undefined, ct: string | undefined, place: PiiPlace, aad?: Buffer): string {
    const key = keyId ? all[keyId] : undefined;
    if (!key || !iv || !tag || ct === undefined) throw new Error('PII ciphertext has an unknown key or format');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    if (aad) decipher.setAAD(aad);
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const head = decipher.update(Buffer.from(ct, 'base64url'));
    try {
      return Buffer.concat([head, decipher.final()]).toString('utf8');
    } catch {
      throw new PiiIntegrityError('mismatch', place);
    }
  }

  return {
    currentPrefix,
    encrypt(plaintext, place) {
      const iv = nextNonce();
      const cipher = createCipheriv('aes-256-gcm', keys.key, iv);
      cipher.setAAD(associatedData(place));
      const ct = cipher.update(plaintext, 'utf8');
      // GCM is a stream mode: final() only computes the tag and returns nothing more.
      const rest = cipher.final();
      const body = rest.length ? Buffer.concat([ct, rest]) : ct;
      return `${currentPrefix}${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
    },
    decrypt(stored, place) {
      const parts = stored.split('.');
      if (parts.length === 5 && parts[0] === BOUND) return open(parts[1], parts[2], parts[3], parts[4], place, associatedData(place));
      if (parts.length !== 4) throw new Error('PII ciphertext has an unknown key or format');
      if (!keys.readUnbound) throw new PiiIntegrityError('unbound', place);
      return open(parts[0], parts[1], parts[2], parts[3], place);
    },
    hash(plaintext) {
      return createHmac('sha256', hashKey).update(plaintext).digest('base64url');
    },
    isStale(stored) {
      return !stored.startsWith(currentPrefix);
    },
  };
}
