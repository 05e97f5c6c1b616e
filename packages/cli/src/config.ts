import { DEV_JWT_SECRET } from '@reemploy/config';
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
}

/**
 * Mints a token with JWT_SECRET, or the documented development secret (with
 * a warning): the same secret the services fall back to outside production.
 */
export function mintDevToken(req: DevTokenRequest, env: NodeJS.ProcessEnv = process.env, warn: (msg: string) => void = (m) => process.stderr.write(`${m}\n`)): string {
  if (!req.scopes.length) throw new Error('at least one scope is needed');
  for (const region of req.regions) if (!/^\d{2,12}$/.test(region)) throw new Error(`region "${region}" is not a division-code prefix (2 to 12 digits)`);
  const secret = env.JWT_SECRET;
  if (!secret) {
    if (env.NODE_ENV === 'production') throw new Error('JWT_SECRET is required when NODE_ENV=production');
    warn('JWT_SECRET is not set: signing with the development default');
  }
  return mintToken(secret ?? DEV_JWT_SECRET, {
    sub: req.sub ?? 'reemploy-cli',
    scopes: req.scopes,
    regions: req.regions,
    expiresIn: req.expiresIn ?? 3600,
    ...(req.aidBase ? { aidBase: req.aidBase } : {}),
  });
}

/** REEMPLOY_TOKEN when set; otherwise a development token with just the scopes the command needs. */
export function resolveToken(scopes: string[], regions: string[], env: NodeJS.ProcessEnv = process.env): string {
  return env.REEMPLOY_TOKEN || mintDevToken({ scopes, regions, expiresIn: 3600 }, env);
}

/** "a,b c" → ["a", "b", "c"]. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}
