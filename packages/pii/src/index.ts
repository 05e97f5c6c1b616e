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
}

export interface PiiCipher {
  /** `keyId.iv.tag.ciphertext`, base64url parts; AES-256-GCM. */
  encrypt(plaintext: string): string;
  decrypt(stored: string): string;
  /** Keyed hash for equality lookups and uniqueness, never reversible. */
  hash(plaintext: string): string;
  /** Whether a stored value was written under a retired key. */
  isStale(stored: string): boolean;
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

export function createPiiCipher(keys: PiiKeys): PiiCipher {
  const all: Record<string, Buffer> = { ...(keys.oldKeys ?? {}), [keys.keyId]: keys.key };
  // A KeyObject: HMAC skips re-importing the raw key on every call (about half its cost in bulk).
  const hashKey = createSecretKey(keys.hashKey ?? deriveHashKey(keys.key));
  return {
    encrypt(plaintext) {
      const iv = nextNonce();
      const cipher = createCipheriv('aes-256-gcm', keys.key, iv);
      const ct = cipher.update(plaintext, 'utf8');
      // GCM is a stream mode: final() only computes the tag and returns nothing more.
      const rest = cipher.final();
      const body = rest.length ? Buffer.concat([ct, rest]) : ct;
      return `${keys.keyId}.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
    },
    decrypt(stored) {
      const [keyId, iv, tag, ct] = stored.split('.');
      const key = keyId ? all[keyId] : undefined;
      if (!key || !iv || !tag || ct === undefined) throw new Error('PII ciphertext has an unknown key or format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    },
    hash(plaintext) {
      return createHmac('sha256', hashKey).update(plaintext).digest('base64url');
    },
    isStale(stored) {
      return !stored.startsWith(`${keys.keyId}.`);
    },
  };
}
