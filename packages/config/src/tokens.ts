import type { BaseEnv } from './env.ts';

/** Development defaults: documented in .env.example, accepted only when NODE_ENV is development or test. */
export const DEV_JWT_SECRET = 'reemploy-development-secret-do-not-use-in-production';
export const DEV_TOKEN_ISSUER = 'reemploy-development';

/** A service's audience unless TOKEN_AUDIENCE names another: `reemploy-registration`, … */
export const serviceAudience = (service: string) => `reemploy-${service}`;

/** Where the issuer publishes its public keys. */
export type IssuerKeySource = { file: string } | { url: string } | { json: string };

/** Which access tokens a service trusts (everything but its audience, which depends on the service). */
export interface TokenTrust {
  /** The `iss` every token must carry. */
  issuer: string;
  /** The issuer's JWKS; absent only in development or test, where development tokens alone are then accepted. */
  keys?: IssuerKeySource;
  refreshSeconds: number;
  maxLifetimeSeconds: number;
  clockSkewSeconds: number;
  /** HS256 secret of development tokens: set only when NODE_ENV is development or test. */
  developmentSecret?: string;
}

/**
 * Token trust from the environment. Outside development and test: an issuer and
 * exactly one JWKS source are required, the JWKS address must be https, and a
 * JWT_SECRET is refused (HS256 tokens are never accepted there). Problems are
 * added to `problems`; none names a secret's value.
 */
export function resolveTokenTrust(env: BaseEnv, development: boolean, problems: string[], warn: (msg: string) => void): TokenTrust {
  const sources: IssuerKeySource[] = [
    ...(env.JWKS_URL ? [{ url: env.JWKS_URL }] : []),
    ...(env.JWKS_FILE ? [{ file: env.JWKS_FILE }] : []),
    ...(env.JWKS_JSON ? [{ json: env.JWKS_JSON }] : []),
  ];
  if (sources.length > 1) problems.push('JWKS_URL, JWKS_FILE and JWKS_JSON: set one of them, not several');
  const trust = {
    refreshSeconds: env.JWKS_REFRESH_SECONDS,
    maxLifetimeSeconds: env.TOKEN_MAX_LIFETIME_SECONDS,
    clockSkewSeconds: env.TOKEN_CLOCK_SKEW_SECONDS,
    ...(sources[0] ? { keys: sources[0] } : {}),
  };
  if (development) {
    if (!env.JWT_SECRET) warn('JWT_SECRET is not set: development tokens are checked with the published development secret (never in production)');
    return { ...trust, issuer: env.TOKEN_ISSUER ?? DEV_TOKEN_ISSUER, developmentSecret: env.JWT_SECRET ?? DEV_JWT_SECRET };
  }
  if (env.JWT_SECRET) problems.push('JWT_SECRET is for development tokens only (NODE_ENV development or test): remove it; access tokens are verified against the issuer\'s JWKS');
  if (!env.TOKEN_ISSUER) problems.push('TOKEN_ISSUER is required: the iss of the identity provider\'s access tokens');
  if (!sources.length) problems.push('JWKS_URL or JWKS_FILE is required: where the identity provider publishes its public keys');
  if (env.JWKS_URL && !env.JWKS_URL.startsWith('https:')) problems.push('JWKS_URL must be an https address');
  return { ...trust, issuer: env.TOKEN_ISSUER ?? '' };
}
