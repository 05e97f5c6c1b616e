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

const claimsSchema = z.object({
  sub: z.string().min(1).max(200),
  scope: z.string().max(2000),
  regions: z.array(z.string().regex(/^\d{2,12}$/)).max(200),
  aidBase: z.uuid().optional(),
});

export type TokenVerifier = (token: string) => Caller | null;

/** HS256 only: `alg: none` and every other algorithm are refused. Expiry is required. */
export function createTokenVerifier(secret: string): TokenVerifier {
  const verify = createVerifier({ key: secret, algorithms: ['HS256'], requiredClaims: ['exp', 'sub'], clockTolerance: 5 });
  return (token) => {
    try {
      const claims = claimsSchema.safeParse(verify(token));
      if (!claims.success) return null;
      const { sub, scope, regions, aidBase } = claims.data;
      return { sub, scopes: new Set(scope.split(' ').filter(Boolean)), regions, ...(aidBase ? { aidBase } : {}) };
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
