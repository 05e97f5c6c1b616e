import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createSigner } from 'fast-jwt';
import type { JSONWebKeySet } from 'jose';

/**
 * A key that signs access tokens. In production only the identity provider
 * holds one; here they sign development tokens (HS256 with the development
 * secret) and the tokens of tests and benchmarks (a local issuer's key pair).
 */
export interface SigningKey {
  alg: 'EdDSA' | 'ES256' | 'HS256';
  /** PEM private key, or the HS256 secret. */
  key: string;
  kid?: string;
}

export interface TokenRequest {
  issuer: string;
  /** The services the token is for (`reemploy-registration`, …). */
  audience: string | string[];
  sub: string;
  scopes: string[];
  regions: string[];
  aidBase?: string;
  /** Lifetime in seconds (default 1 hour). */
  expiresIn?: number;
  /** Seconds from now before which the token is not valid. */
  notBefore?: number;
}

/**
 * A minter of RFC 9068 access tokens (`typ: at+jwt`, `client_id` = `sub`)
 * with this project's `regions` and `aidBase` claims. Signed synchronously
 * (fast-jwt, the key parsed once), so tests can build tokens inline; services
 * verify with jose.
 */
export function tokenMinter(signing: SigningKey): (req: TokenRequest) => string {
  const sign = createSigner({ key: signing.key, algorithm: signing.alg, header: { alg: signing.alg, typ: 'at+jwt' }, ...(signing.kid ? { kid: signing.kid } : {}) });
  return (req) => {
    const iat = Math.floor(Date.now() / 1000);
    return sign({
      iss: req.issuer,
      aud: req.audience,
      sub: req.sub,
      client_id: req.sub,
      scope: req.scopes.join(' '),
      regions: req.regions,
      ...(req.aidBase ? { aidBase: req.aidBase } : {}),
      iat,
      exp: iat + (req.expiresIn ?? 3600),
      ...(req.notBefore ? { nbf: iat + req.notBefore } : {}),
    });
  };
}

/** Mints one access token (see tokenMinter). */
export function mintToken(signing: SigningKey, req: TokenRequest): string {
  return tokenMinter(signing)(req);
}

/** An issuer of one's own: a fresh key pair, its public JWKS, and tokens signed with it. */
export interface LocalIssuer {
  issuer: string;
  jwks: JSONWebKeySet;
  signingKey: SigningKey;
  token(req: Omit<TokenRequest, 'issuer'>): string;
}

/** For tests and benchmarks: services given `jwks` (JWKS_JSON) and `issuer` (TOKEN_ISSUER) accept its tokens as the identity provider's. */
export function createLocalIssuer(issuer: string, alg: 'EdDSA' | 'ES256' = 'EdDSA'): LocalIssuer {
  const { publicKey, privateKey } = alg === 'EdDSA' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomBytes(8).toString('hex');
  const signingKey: SigningKey = { alg, key: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), kid };
  const mint = tokenMinter(signingKey);
  return {
    issuer,
    jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' }] },
    signingKey,
    token: (req) => mint({ ...req, issuer }),
  };
}
