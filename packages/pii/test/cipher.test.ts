import t from 'tap';
import { randomBytes } from 'node:crypto';
import { createPiiCipher } from '../src/index.ts';

const k1 = randomBytes(32);
const k2 = randomBytes(32);

t.test('encrypts with a fresh nonce each time and decrypts back', async (t) => {
  const pii = createPiiCipher({ keyId: 'k1', key: k1 });
  const a = pii.encrypt('32050819750312124X');
  const b = pii.encrypt('32050819750312124X');
  t.not(a, b, 'same plaintext, different ciphertexts');
  t.notMatch(a, /32050819750312124X/);
  t.equal(pii.decrypt(a), '32050819750312124X');
  const nonces = new Set(Array.from({ length: 10_000 }, () => pii.encrypt('x').split('.')[1]));
  t.equal(nonces.size, 10_000, 'no nonce reused across a pool refill');
});

t.test('a tampered ciphertext or an unknown key is refused', async (t) => {
  const pii = createPiiCipher({ keyId: 'k1', key: k1 });
  const [id, iv, tag, ct] = pii.encrypt('13812345678').split('.');
  const flipped = Buffer.from(ct!, 'base64url');
  flipped[0] = flipped[0]! ^ 1;
  t.throws(() => pii.decrypt([id, iv, tag, flipped.toString('base64url')].join('.')));
  t.throws(() => pii.decrypt(['k9', iv, tag, ct].join('.')), /unknown key/);
});

t.test('rotation: old ciphertexts stay readable and are known stale; the lookup hash does not change', async (t) => {
  const before = createPiiCipher({ keyId: 'k1', key: k1 });
  const stored = before.encrypt('王秀英');
  const after = createPiiCipher({ keyId: 'k2', key: k2, oldKeys: { k1 }, hashKey: undefined });
  t.equal(after.decrypt(stored), '王秀英');
  t.ok(after.isStale(stored));
  t.notOk(after.isStale(after.encrypt('王秀英')));
  const hashKey = randomBytes(32);
  t.equal(createPiiCipher({ keyId: 'k1', key: k1, hashKey }).hash('x'), createPiiCipher({ keyId: 'k2', key: k2, hashKey }).hash('x'), 'an explicit hash key survives rotation');
});
