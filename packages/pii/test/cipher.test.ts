import t from 'tap';
import { createCipheriv, randomBytes } from 'node:crypto';
import { createPiiCipher, PiiIntegrityError, type PiiPlace } from '../src/index.ts';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const seeker = (row: string, column = 'id_number_enc'): PiiPlace => ({ table: 'job_seekers', column, row });
const A = seeker('0b0e8f4e-1111-4a4a-8a8a-000000000001');
const B = seeker('0b0e8f4e-1111-4a4a-8a8a-000000000002');

/** A value as the cipher wrote it before ciphertexts were bound to their place: `keyId.iv.tag.ciphertext`, no associated data. */
function unbound(keyId: string, key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [keyId, iv, cipher.getAuthTag(), ct].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

t.test('encrypts with a fresh nonce each time and decrypts back', async (t) => {
  const pii = createPiiCipher({ keyId: 'k1', key: k1 });
  const a = pii.encrypt('32050819750312124X', A);
  const b = pii.encrypt('32050819750312124X', A);
  t.not(a, b, 'same plaintext, different ciphertexts');
  t.notMatch(a, /32050819750312124X/);
  t.match(a, /^v2\.k1\./, 'marked as bound, with its key id');
  t.equal(pii.decrypt(a, A), '32050819750312124X');
  const nonces = new Set(Array.from({ length: 10_000 }, () => pii.encrypt('x', A).split('.')[2]));
  t.equal(nonces.size, 10_000, 'no nonce reused across a pool refill');
});

t.test('a tampered ciphertext or an unknown key is refused', async (t) => {
  const pii = createPiiCipher({ keyId: 'k1', key: k1 });
  const [v, id, iv, tag, ct] = pii.encrypt('13812345678', A).split('.');
  const flipped = Buffer.from(ct!, 'base64url');
  flipped[0] = flipped[0]! ^ 1;
  t.throws(() => pii.decrypt([v, id, iv, tag, flipped.toString('base64url')].join('.'), A), PiiIntegrityError);
  t.throws(() => pii.decrypt([v, 'k9', iv, tag, ct].join('.'), A), /unknown key/);
});

t.test('a ciphertext decrypts only in the table, column and row it was written for', async (t) => {
  const pii = createPiiCipher({ keyId: 'k1', key: k1 });
  const stored = pii.encrypt('32050819750312124X', A);
  for (const [what, place] of [
    ['another row', B],
    ['another column', seeker(A.row, 'phone_enc')],
    ['another table', { ...A, table: 'employers' }],
  ] as const) {
    t.throws(() => pii.decrypt(stored, place), { name: 'PiiIntegrityError', reason: 'mismatch', place }, `moved to ${what}: refused`);
  }
  // Without the marker it is no older-format value either: the tag covers the place.
  const stripped = stored.slice('v2.'.length);
  t.throws(() => createPiiCipher({ keyId: 'k1', key: k1, readUnbound: true }).decrypt(stripped, A), { name: 'PiiIntegrityError', reason: 'mismatch' }, 'the marker cannot be stripped to skip the binding');
});

t.test('values written before binding: refused unless readUnbound, and always stale', async (t) => {
  const old = unbound('k1', k1, '王秀英');
  const strict = createPiiCipher({ keyId: 'k1', key: k1 });
  t.throws(() => strict.decrypt(old, A), { name: 'PiiIntegrityError', reason: 'unbound' });
  const upgrading = createPiiCipher({ keyId: 'k1', key: k1, readUnbound: true });
  t.equal(upgrading.decrypt(old, A), '王秀英', 'read during the upgrade');
  t.ok(upgrading.isStale(old), 'stale under the current key too: it must be bound');
  t.notOk(upgrading.isStale(upgrading.encrypt('王秀英', A)));
});

t.test('rotation: old ciphertexts stay readable and are known stale; the lookup hash does not change', async (t) => {
  const before = createPiiCipher({ keyId: 'k1', key: k1 });
  const stored = before.encrypt('王秀英', A);
  const after = createPiiCipher({ keyId: 'k2', key: k2, oldKeys: { k1 }, hashKey: undefined });
  t.equal(after.decrypt(stored, A), '王秀英');
  t.ok(after.isStale(stored));
  t.notOk(after.isStale(after.encrypt('王秀英', A)));
  const hashKey = randomBytes(32);
  t.equal(createPiiCipher({ keyId: 'k1', key: k1, hashKey }).hash('x'), createPiiCipher({ keyId: 'k2', key: k2, hashKey }).hash('x'), 'an explicit hash key survives rotation');
});
