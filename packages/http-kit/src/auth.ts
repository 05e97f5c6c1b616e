import { createSigner, createVerifier } from 'fast-jwt';
import { z } from 'zod';

/** Who is calling, from the bearer token (SPEC §6). */
export interface Caller {
  sub: string;
  scopes: Set<string>;
  /** Division-code prefixes the caller may see; `[""]` never occurs: an empty list sees nothing. */
  regions: string[];
  /** An assistance base's own systems see only that base. */
  aidBase?: string;
}

/**
 * Operators' read-only views: /metrics (services and worker processes) and the checks behind
 * /ready. Apart from `admin`, which can also change the queues (retry, promote, clean).
 */
export const OPERATIONS_SCOPE = 'operations:read';

const claimsSchema = z.object({
  sub: z.string().min(1).max(200),
  scope: z.string().max(2000),
  regions: z.array(z.string().regex(/^\d{2,12}$/)).max(200),
  aidBase: z.uuid().optional(),
});

export type TokenVerifier = (token: string) => Caller | null;

/** The token of an `Authorization: Bearer …` header; the scheme's name is case-insensitive (RFC 9110 §11.1). */
export function bearerToken(header: string | undefined): string | undefined {
  return (header && /^bearer +(.*)$/i.exec(header)?.[1]) || undefined;
}

const CLOCK_TOLERANCE_S = 5;
const VERIFIED_CACHE_SIZE = 1000;

/**
 * HS256 only: `alg: none` and every other algorithm are refused. Expiry is required.
 * A calling system sends the same token many times: a token verified once is
 * kept (in memory, at most a thousand) until it expires, so the signature and
 * claims are not checked again on every request. Refused tokens are never kept.
 */
export function createTokenVerifier(secret: string): TokenVerifier {
  const verify = createVerifier({ key: secret, algorithms: ['HS256'], requiredClaims: ['exp', 'sub'], clockTolerance: CLOCK_TOLERANCE_S });
  const verified = new Map<string, { caller: Caller; until: number }>();
  return (token) => {
    const known = verified.get(token);
    if (known && Date.now() < known.until) return known.caller;
    if (known) verified.delete(token);
    try {
      const payload = verify(token) as { exp: number };
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) return null;
      const { sub, scope, regions, aidBase } = claims.data;
      const caller: Caller = Object.freeze({ sub, scopes: new Set(scope.split(' ').filter(Boolean)), regions: Object.freeze([...regions]) as string[], ...(aidBase ? { aidBase } : {}) });
      if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
      verified.set(token, { caller, until: (payload.exp + CLOCK_TOLERANCE_S) * 1000 });
      return caller;
    } catch {
      return null;
    }
  };
}

export interface TokenRequest {
  sub: string;
  scopes: string[];
  regions: string[];
  aidBase?: string;
  /** Lifetime in seconds (default 1 hour). */
  expiresIn?: number;
  notBefore?: number;
}

/** Mints a token: for tests, the CLI and development only. */
export function mintToken(secret: string, req: TokenRequest): string {
  const sign = createSigner({ key: secret, algorithm: 'HS256', expiresIn: (req.expiresIn ?? 3600) * 1000, ...(req.notBefore ? { notBefore: req.notBefore * 1000 } : {}) });
  return sign({ sub: req.sub, scope: req.scopes.join(' '), regions: req.regions, ...(req.aidBase ? { aidBase: req.aidBase } : {}) });
}

/** Whether a division code lies inside the caller's regions. */
export function inRegions(caller: Caller, code: string): boolean {
  return caller.regions.some((prefix) => code.startsWith(prefix));
}

/**
 * Narrows a requested region prefix to what the caller may see: the request's
 * own prefix when inside the caller's regions, or the caller's prefixes that
 * lie under it. An empty result means "nothing visible".
 */
export function visiblePrefixes(caller: Caller, requested?: string): string[] {
  if (!requested) return caller.regions;
  if (inRegions(caller, requested)) return [requested];
  return caller.regions.filter((r) => r.startsWith(requested));
}
