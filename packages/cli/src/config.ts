import { DEV_JWT_SECRET, DEV_TOKEN_ISSUER, serviceAudience } from '@reemploy/config';
import { SERVICES } from '@reemploy/events';
import { mintToken } from '@reemploy/http-kit';

export type ServiceKey = 'registration' | 'jobPostings' | 'matching' | 'assistanceBases';

const URL_VARS: Record<ServiceKey, [string, string]> = {
  registration: ['REGISTRATION_URL', 'http://127.0.0.1:3001'],
  jobPostings: ['JOB_POSTINGS_URL', 'http://127.0.0.1:3002'],
  matching: ['MATCHING_URL', 'http://127.0.0.1:3003'],
  assistanceBases: ['ASSISTANCE_BASES_URL', 'http://127.0.0.1:3004'],
};

/** Where each service answers, from the environment (trailing slashes dropped). */
export function serviceUrl(service: ServiceKey, env: NodeJS.ProcessEnv = process.env): string {
  const [name, fallback] = URL_VARS[service];
  return (env[name] || fallback).replace(/\/+$/, '');
}

export interface DevTokenRequest {
  scopes: string[];
  regions: string[];
  sub?: string;
  /** Seconds. */
  expiresIn?: number;
  aidBase?: string;
  /** The services it is for (default: all four, `reemploy-registration` …). */
  audience?: string[];
}

/**
 * Mints a development token: HS256 with JWT_SECRET, or the published
 * development secret (with a warning), issued by TOKEN_ISSUER or
 * `reemploy-development`, for every service. Only services running with
 * NODE_ENV=development or test accept it; production services verify the
 * identity provider's tokens against its keys and refuse every HS256 token.
 */
export function mintDevToken(req: DevTokenRequest, env: NodeJS.ProcessEnv = process.env, warn: (msg: string) => void = (m) => process.stderr.write(`${m}\n`)): string {
  if (env.NODE_ENV === 'production') throw new Error('no development tokens with NODE_ENV=production: set REEMPLOY_TOKEN to an access token from the identity provider');
  if (!req.scopes.length) throw new Error('at least one scope is needed');
  for (const region of req.regions) if (!/^\d{2,12}$/.test(region)) throw new Error(`region "${region}" is not a division-code prefix (2 to 12 digits)`);
  const expiresIn = req.expiresIn ?? 3600;
  const maxLifetime = Number(env.TOKEN_MAX_LIFETIME_SECONDS || 3600);
  if (expiresIn > maxLifetime) throw new Error(`a token may live at most ${maxLifetime} seconds (TOKEN_MAX_LIFETIME_SECONDS): services refuse longer ones`);
  if (!env.JWT_SECRET) warn('development token signed with the published development secret: accepted only by services with NODE_ENV=development or test');
  return mintToken(
    { alg: 'HS256', key: env.JWT_SECRET || DEV_JWT_SECRET },
    {
      issuer: env.TOKEN_ISSUER || DEV_TOKEN_ISSUER,
      audience: req.audience ?? SERVICES.map(serviceAudience),
      sub: req.sub ?? 'reemploy-cli',
      scopes: req.scopes,
      regions: req.regions,
      expiresIn,
      ...(req.aidBase ? { aidBase: req.aidBase } : {}),
    },
  );
}

/** REEMPLOY_TOKEN when set; otherwise a development token with just the scopes the command needs. */
export function resolveToken(scopes: string[], regions: string[], env: NodeJS.ProcessEnv = process.env): string {
  return env.REEMPLOY_TOKEN || mintDevToken({ scopes, regions, expiresIn: 3600 }, env);
}

/** "a,b c" → ["a", "b", "c"]. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}
