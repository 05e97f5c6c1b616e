import { jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { TokenTrust } from '@reemploy/config';
import type { Caller } from './auth.ts';
import { issuerKeys } from './issuer-keys.ts';

export interface TokenVerifierOptions extends TokenTrust {
  /** This service's name in a token's `aud` (a token may name several audiences). */
  audience: string;
  /** The clock, in milliseconds (tests move it). */
  now?: () => number;
  /** A refresh of the issuer's keys failed; the keys held so far stay in use. */
  onKeysError?: (err: Error) => void;
}

export type TokenVerifier = (token: string) => Promise<Caller | null>;

const claimsSchema = z.object({
  sub: z.string().min(1).max(200),
  scope: z.string().max(2000),
  regions: z.array(z.string().regex(/^\d{2,12}$/)).max(200),
  aidBase: z.uuid().optional(),
  iat: z.number(),
  exp: z.number(),
});

const VERIFIED_CACHE_SIZE = 1000;

/**
 * Verifies bearer tokens as RFC 9068 access tokens with jose: header `typ`
 * `at+jwt`, signed EdDSA or ES256 with the issuer's key named by `kid`;
 * `iss` the configured issuer, `aud` naming this service, `sub`, `iat` and
 * `exp` present, `nbf` when present, each with the clock skew in seconds;
 * `exp - iat` and the token's age within the maximum lifetime. HS256 is
 * accepted only with a development secret (NODE_ENV development or test), under
 * the same claim checks.
 *
 * A calling system sends the same token many times: a verified token is kept
 * (in memory, at most a thousand) until `exp` plus the skew, the instant the
 * verification itself would refuse it, and verified again once the issuer's
 * key set has changed. Refused tokens are never kept.
 */
export function createTokenVerifier(opts: TokenVerifierOptions): TokenVerifier {
  const now = opts.now ?? Date.now;
  const keys = opts.keys
    ? issuerKeys(opts.keys, { refreshMs: opts.refreshSeconds * 1000, now, onRefreshError: opts.onKeysError ?? (() => undefined) })
    : undefined;
  const developmentKey = opts.developmentSecret ? new TextEncoder().encode(opts.developmentSecret) : undefined;
  const algorithms = [...(keys ? ['EdDSA', 'ES256'] : []), ...(developmentKey ? ['HS256'] : [])];
  const getKey: JWTVerifyGetKey = (header, token) => {
    if (header.alg === 'HS256' && developmentKey) return developmentKey;
    // Keys are chosen by kid: a token without one could match any key of the set.
    if (!keys || typeof header.kid !== 'string') throw new Error('no key for this token');
    return keys.getKey(header, token);
  };
  const verified = new Map<string, { caller: Caller; until: number; generation: number }>();

  return async (token) => {
    const generation = keys?.generation() ?? 0;
    const known = verified.get(token);
    if (known && known.generation === generation && now() < known.until) return known.caller;
    if (known) verified.delete(token);
    try {
      const { payload } = await jwtVerify(token, getKey, {
        algorithms,
        typ: 'at+jwt',
        issuer: opts.issuer,
        audience: opts.audience,
        requiredClaims: ['sub', 'iat', 'exp'],
        clockTolerance: opts.clockSkewSeconds,
        maxTokenAge: opts.maxLifetimeSeconds,
        currentDate: new Date(now()),
      });
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success || claims.data.exp - claims.data.iat > opts.maxLifetimeSeconds) return null;
      const { sub, scope, regions, aidBase, exp } = claims.data;
      const caller: Caller = Object.freeze({ sub, scopes: new Set(scope.split(' ').filter(Boolean)), regions: Object.freeze([...regions]) as string[], ...(aidBase ? { aidBase } : {}) });
      if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
      // jose refuses once exp <= floor(now) - skew, that is from (exp + skew) * 1000 ms on.
      verified.set(token, { caller, until: (exp + opts.clockSkewSeconds) * 1000, generation });
      return caller;
    } catch {
      return null;
    }
  };
}

/** How callers authenticate, for the OpenAPI document (the same in every run mode). */
export function bearerSchemeDescription(audience: string): string {
  return [
    'An OAuth 2.0 access token (RFC 9068 JWT, header `typ: at+jwt`) from the identity provider, obtained with the client-credentials grant.',
    'Signed EdDSA (Ed25519) or ES256 with a key of the provider\'s JWKS, named by `kid`.',
    `Claims: \`iss\` the configured issuer; \`aud\` naming \`${audience}\` (a token may name several services); \`sub\` the calling system;`,
    '`scope` space-separated (e.g. `seekers:read pii:read`); `regions` the division-code prefixes the caller may see; `aidBase` for an assistance base\'s own systems;',
    '`iat` and `exp` at most the configured maximum lifetime apart (1 hour by default); `nbf` when present.',
    'Development and test services also accept HS256 development tokens from `pnpm reemploy token`; production never does.',
  ].join(' ');
}
