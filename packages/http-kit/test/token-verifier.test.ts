import t from 'tap';
import { createSigner } from 'fast-jwt';
import { createLocalIssuer, createTokenVerifier, mintToken, type TokenRequest, type TokenVerifierOptions } from '../src/index.ts';

const issuer = createLocalIssuer('https://idp.example.gov.cn/realms/suzhou');
const AUDIENCE = 'reemploy-registration';
const DEV_SECRET = 'a-development-secret-of-at-least-32-characters';
const trust: TokenVerifierOptions = {
  issuer: issuer.issuer,
  audience: AUDIENCE,
  keys: { json: JSON.stringify(issuer.jwks) },
  refreshSeconds: 60,
  maxLifetimeSeconds: 3600,
  clockSkewSeconds: 30,
};
const request: Omit<TokenRequest, 'issuer'> = { audience: AUDIENCE, sub: 'labour-bureau', scopes: ['seekers:read'], regions: ['3205'] };
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number; iat: number };

/** Signs exactly these claims with the issuer's key (fast-jwt adds no iat unless given one). */
const signRaw = (claims: Record<string, unknown>, typ = 'at+jwt') =>
  createSigner({ key: issuer.signingKey.key, algorithm: 'EdDSA', kid: issuer.signingKey.kid!, header: { alg: 'EdDSA', typ }, noTimestamp: !('iat' in claims) })(claims);
const now = () => Math.floor(Date.now() / 1000);
const base = () => ({ iss: issuer.issuer, aud: AUDIENCE, sub: 'x', scope: 'seekers:read', regions: ['3205'], iat: now(), exp: now() + 600 });

t.test("the issuer's token is accepted: scopes, regions, several audiences", async (t) => {
  const verify = createTokenVerifier(trust);
  const caller = await verify(issuer.token({ ...request, scopes: ['seekers:read', 'pii:read'], audience: ['reemploy-matching', AUDIENCE], aidBase: '0195f0a4-6c2b-7a3e-9d41-2f7c8e1b5a60' }));
  t.same([...(caller?.scopes ?? [])], ['seekers:read', 'pii:read']);
  t.same(caller?.regions, ['3205']);
  t.equal(caller?.sub, 'labour-bureau');
  t.equal(caller?.aidBase, '0195f0a4-6c2b-7a3e-9d41-2f7c8e1b5a60');
  const es256 = createLocalIssuer(issuer.issuer, 'ES256');
  t.ok(await createTokenVerifier({ ...trust, keys: { json: JSON.stringify(es256.jwks) } })(es256.token(request)), 'ES256 as well as EdDSA');
});

t.test('lifetimes: a 100-year token, a token without iat, one issued in the future are refused', async (t) => {
  const verify = createTokenVerifier(trust);
  t.equal(await verify(issuer.token({ ...request, expiresIn: 100 * 365 * 86_400 })), null, 'a 100-year token');
  t.equal(await verify(issuer.token({ ...request, expiresIn: 3601 })), null, 'one second beyond the maximum lifetime');
  t.ok(await verify(issuer.token({ ...request, expiresIn: 3600 })), 'the maximum lifetime itself');
  const { iat: _iat, ...withoutIat } = base();
  t.equal(await verify(signRaw(withoutIat)), null, 'no iat');
  t.equal(await verify(signRaw({ ...base(), iat: now() + 120, exp: now() + 600 })), null, 'iat two minutes ahead (skew 30 s)');
  const { exp: _exp, ...withoutExp } = base();
  t.equal(await verify(signRaw(withoutExp)), null, 'no exp');
  t.equal(await verify(signRaw({ ...base(), nbf: now() + 120 })), null, 'nbf two minutes ahead');
  t.ok(await verify(signRaw({ ...base(), nbf: now() + 10 })), 'nbf within the skew');
});

t.test('issuer, audience, type and key are checked', async (t) => {
  const verify = createTokenVerifier(trust);
  t.equal(await verify(signRaw({ ...base(), iss: 'https://evil.example' })), null, 'wrong iss');
  const { iss: _iss, ...withoutIss } = base();
  t.equal(await verify(signRaw(withoutIss)), null, 'no iss');
  t.equal(await verify(issuer.token({ ...request, audience: 'reemploy-matching' })), null, "another service's audience");
  const { aud: _aud, ...withoutAud } = base();
  t.equal(await verify(signRaw(withoutAud)), null, 'no aud');
  t.equal(await verify(signRaw(base(), 'JWT')), null, 'typ JWT (an ID token, say) is not an access token');
  t.ok(await verify(signRaw(base(), 'application/at+jwt')), 'application/at+jwt is the same type');
  const withoutKid = createSigner({ key: issuer.signingKey.key, algorithm: 'EdDSA', header: { alg: 'EdDSA', typ: 'at+jwt' } })(base());
  t.equal(await verify(withoutKid), null, 'no kid');
  const stranger = createLocalIssuer(issuer.issuer);
  t.equal(await verify(mintToken({ ...stranger.signingKey, kid: issuer.signingKey.kid! }, { ...request, issuer: issuer.issuer })), null, "another key under the issuer's kid");
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url');
  t.equal(await verify(`${header}.${Buffer.from(JSON.stringify(base())).toString('base64url')}.`), null, 'alg none');
});

t.test('HS256 only with a development secret', async (t) => {
  const development = mintToken({ alg: 'HS256', key: DEV_SECRET }, { ...request, issuer: issuer.issuer });
  t.equal(await createTokenVerifier(trust)(development), null, 'refused where no development secret is configured (production)');
  const verify = createTokenVerifier({ ...trust, developmentSecret: DEV_SECRET });
  t.same((await verify(development))?.sub, 'labour-bureau', 'accepted in development');
  t.equal(await verify(mintToken({ alg: 'HS256', key: `${DEV_SECRET}!` }, { ...request, issuer: issuer.issuer })), null, 'another secret');
  t.equal(await verify(mintToken({ alg: 'HS256', key: DEV_SECRET }, { ...request, issuer: issuer.issuer, expiresIn: 100 * 365 * 86_400 })), null, 'and under the same claim checks');
  const onlyDevelopment = createTokenVerifier({ ...trust, keys: undefined, developmentSecret: DEV_SECRET });
  t.ok(await onlyDevelopment(development), 'development without a JWKS');
  t.equal(await onlyDevelopment(issuer.token(request)), null, 'has no keys for asymmetric tokens');
});

t.test('a remembered token is refused from exp + skew on, exactly when verification would refuse it', async (t) => {
  let clock = Date.now();
  const verify = createTokenVerifier({ ...trust, clockSkewSeconds: 3, now: () => clock });
  const token = issuer.token({ ...request, expiresIn: 60 });
  const { exp } = claimsOf(token);
  const first = await verify(token);
  t.ok(first);
  t.equal(await verify(token), first, 'the second call is answered from memory');
  t.throws(() => (first!.regions as string[]).push('3206'), 'a remembered caller cannot be changed by one request for the next');

  clock = (exp + 3) * 1000 - 1;
  t.equal(await verify(token), first, 'remembered until the last millisecond of the skew');
  clock = (exp + 3) * 1000;
  t.equal(await verify(token), null, 'refused at exp + skew');
  t.equal(await createTokenVerifier({ ...trust, clockSkewSeconds: 3, now: () => clock })(token), null, 'as a fresh verification refuses it');

  const noSkew = createTokenVerifier({ ...trust, clockSkewSeconds: 0, now: () => clock });
  const other = issuer.token({ ...request, expiresIn: 60 });
  clock = Date.now();
  t.ok(await noSkew(other));
  clock = (claimsOf(other).exp + 4) * 1000;
  t.equal(await noSkew(other), null, 'a token 4 s past exp is not served from memory (skew 0)');
});

t.test('refused tokens are never remembered', async (t) => {
  const verify = createTokenVerifier(trust);
  const good = issuer.token(request);
  const forged = createLocalIssuer(issuer.issuer).token(request);
  t.equal(await verify(forged), null);
  t.equal(await verify(forged), null, 'still refused the second time');
  const [header, , signature] = good.split('.');
  const widened = `${header}.${Buffer.from(JSON.stringify({ ...claimsOf(good), scope: 'seekers:read pii:read', regions: ['32'] })).toString('base64url')}.${signature}`;
  t.ok(await verify(good));
  t.equal(await verify(widened), null, 'a token with the signature of a remembered one but other claims is refused');
});

t.test('memory stays bounded with many callers', async (t) => {
  const verify = createTokenVerifier(trust);
  const tokens = Array.from({ length: 1500 }, (_, i) => issuer.token({ ...request, sub: `system-${i}` }));
  const callers = [];
  for (const token of tokens) callers.push(await verify(token));
  t.equal(callers.filter((caller, i) => caller?.sub !== `system-${i}`).length, 0, 'each of 1,500 callers is recognised');
  t.equal((await verify(tokens[0]!))?.sub, 'system-0', 'an evicted token is verified again, not refused');
});
