import t, { type Test } from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalIssuer, createTokenVerifier, type LocalIssuer, type TokenVerifier } from '../src/index.ts';

const ISSUER = 'https://idp.example.gov.cn/realms/suzhou';
const AUDIENCE = 'reemploy-matching';
const trust = { issuer: ISSUER, audience: AUDIENCE, refreshSeconds: 1, maxLifetimeSeconds: 3600, clockSkewSeconds: 30 };
/** The issuer's keys as it publishes them: key A, then A and B, then B alone. */
const keyA = createLocalIssuer(ISSUER);
const keyB = createLocalIssuer(ISSUER, 'ES256');
const published = (...keys: LocalIssuer[]) => JSON.stringify({ keys: keys.flatMap((k) => k.jwks.keys) });
const tokenOf = (key: LocalIssuer) => key.token({ audience: AUDIENCE, sub: 'labour-bureau', scopes: ['matching:read'], regions: ['3205'] });

/** Polls the verifier until it answers as expected (each call may start a refresh that the next one sees). */
async function becomes(verify: TokenVerifier, token: string, accepted: boolean, within = 5000) {
  const deadline = Date.now() + within;
  for (;;) {
    if (Boolean(await verify(token)) === accepted) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A rotation as an identity provider does it: publish B beside A, sign with B, retire A. */
async function rotate(t: Test, publish: (text: string) => void, verify: TokenVerifier) {
  const a = tokenOf(keyA);
  const b = tokenOf(keyB);
  t.ok(await verify(a), 'A is trusted');
  t.equal(await verify(b), null, 'B is not yet');
  publish(published(keyA, keyB));
  t.ok(await becomes(verify, b, true), 'B is trusted once published, without a restart');
  t.ok(await verify(a), 'A still is: tokens signed before the switch keep working');
  publish(published(keyB));
  t.ok(await becomes(verify, a, false), 'A is refused once withdrawn, remembered or not');
  t.equal(await verify(tokenOf(keyA)), null, 'a new token under A too');
  t.ok(await verify(b), 'B stays trusted');
}

t.test('a JWKS file: keys added and withdrawn take effect without a restart', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'reemploy-jwks-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'jwks.json');
  writeFileSync(file, published(keyA));
  const errors: string[] = [];
  const verify = createTokenVerifier({ ...trust, keys: { file }, onKeysError: (err) => errors.push(err.message) });
  await rotate(t, (text) => writeFileSync(file, text), verify);

  writeFileSync(file, '{"keys": [');
  await new Promise((r) => setTimeout(r, 1100));
  t.ok(await verify(tokenOf(keyB)), 'a broken file leaves the keys in use as they were');
  t.ok(await becomes(verify, tokenOf(keyB), true) && errors.some((e) => /not JSON/.test(e)), 'and is reported');
});

t.test('a JWKS address: keys added and withdrawn take effect without a restart', async (t) => {
  let body = published(keyA);
  let fetches = 0;
  const server = createServer((_req, res) => {
    fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  const verify = createTokenVerifier({ ...trust, keys: { url } });
  await rotate(t, (text) => (body = text), verify);

  const before = fetches;
  const strangers = Array.from({ length: 20 }, () => createLocalIssuer(ISSUER));
  for (const stranger of strangers) t.equal(await verify(tokenOf(stranger)), null);
  t.ok(fetches - before <= 2, `tokens naming unknown kids do not make it fetch each time (${fetches - before} fetches for 20)`);
});

t.test('a key set holding a private or symmetric key, or no usable key, stops the service at start', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'reemploy-jwks-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const { generateKeyPairSync } = await import('node:crypto');
  const privateJwk = { ...generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }), kid: 'k' };
  const cases: [string, unknown, RegExp][] = [
    ['a private key', { keys: [privateJwk] }, /private or symmetric/],
    ['a symmetric key', { keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'k' }] }, /private or symmetric/],
    ['an RSA key only', { keys: [{ kty: 'RSA', n: 'AQAB', e: 'AQAB', kid: 'k' }] }, /no Ed25519 or P-256 key/],
    ['a key without kid', { keys: [{ ...keyA.jwks.keys[0], kid: undefined }] }, /no Ed25519 or P-256 key/],
    ['not a set', [keyA.jwks.keys[0]], /not a JSON Web Key Set/],
  ];
  for (const [label, set, message] of cases) {
    const file = join(dir, `${label}.json`);
    writeFileSync(file, JSON.stringify(set));
    t.throws(() => createTokenVerifier({ ...trust, keys: { file } }), message, `${label} (file)`);
    t.throws(() => createTokenVerifier({ ...trust, keys: { json: JSON.stringify(set) } }), message, `${label} (inline)`);
  }
  t.throws(() => createTokenVerifier({ ...trust, keys: { file: join(dir, 'missing.json') } }), /ENOENT/, 'a missing file');
});
