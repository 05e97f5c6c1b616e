/**
 * Variables of the tools that run several services from one environment
 * (`pnpm migrate`, `pnpm rotate-pii`, `pnpm start`): each service has a
 * database role and a PII key of its own, given as `<SERVICE>_DATABASE_URL`,
 * `<SERVICE>_PII_KEY`, … and passed to that service under the plain names.
 * A service process itself reads only the plain names.
 */
import { z } from 'zod';
import { ConfigError, isDevelopmentMode } from './env.ts';

export const SERVICE_NAMES = ['registration', 'job-postings', 'matching', 'assistance-bases'] as const;

/** `job-postings` → `JOB_POSTINGS`. */
export function envPrefix(service: string): string {
  return service.toUpperCase().replaceAll('-', '_');
}

const OWN = {
  DATABASE_URL: (s: string) =>
    `Connection of ${s}'s own role, passed to it as DATABASE_URL; in development defaults to role reemploy_${envPrefix(s).toLowerCase()} (no password) on DATABASE_ADMIN_URL's server and database`,
  PII_KEY: (s: string) => `${s}'s PII key (base64 of 32 bytes), passed to it as PII_KEY; each service has its own`,
  PII_KEY_ID: (s: string) => `Identifier of ${s}'s PII key, passed to it as PII_KEY_ID`,
  PII_OLD_KEYS: (s: string) => `${s}'s retired PII keys during a rotation (id:base64,…), passed to it as PII_OLD_KEYS`,
  PII_HASH_KEY: (s: string) => `${s}'s lookup-hash key, passed to it as PII_HASH_KEY`,
} as const;

const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const deploymentEnvSchema = z.object({
  DATABASE_ADMIN_URL: optional(z.string().url()).describe(
    'Administrator connection (a superuser, or the database owner with CREATEROLE) with which pnpm migrate provisions each service role and schema; in development defaults to DATABASE_URL',
  ),
  ...Object.fromEntries(SERVICE_NAMES.flatMap((s) => Object.entries(OWN).map(([v, describe]) => [`${envPrefix(s)}_${v}`, optional(z.string()).describe(describe(s))]))),
});

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/reemploy';

/** The administrator's connection: required in production, else DATABASE_URL (the superuser by default). */
export function adminDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DATABASE_ADMIN_URL) return env.DATABASE_ADMIN_URL;
  if (!isDevelopmentMode(env)) throw new ConfigError('DATABASE_ADMIN_URL is required outside development and test');
  return env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

/** A service's development role on the administrator's server and database: no password, loopback is trusted there. */
function developmentRoleUrl(service: string, env: NodeJS.ProcessEnv): string {
  const url = new URL(adminDatabaseUrl(env));
  url.username = `reemploy_${envPrefix(service).toLowerCase()}`;
  url.password = '';
  return url.toString();
}

/**
 * The environment one service gets: its own variables under the plain names.
 * Without `<SERVICE>_DATABASE_URL`, development gives it its development role;
 * production keeps DATABASE_URL (a process that runs that one service).
 */
export function envOfService(service: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  const prefix = envPrefix(service);
  for (const name of Object.keys(OWN)) {
    const own = env[`${prefix}_${name}`];
    if (own) out[name] = own;
  }
  if (!env[`${prefix}_DATABASE_URL`] && isDevelopmentMode(env)) out.DATABASE_URL = developmentRoleUrl(service, env);
  return out;
}

/**
 * The environments of several services run from one: in production, refused
 * when two of them would share a database role or a PII key.
 */
export function envOfServices(services: readonly string[], env: NodeJS.ProcessEnv = process.env): Record<string, NodeJS.ProcessEnv> {
  const out = Object.fromEntries(services.map((s) => [s, envOfService(s, env)]));
  if (isDevelopmentMode(env)) return out;
  const seen = { role: new Map<string, string>(), key: new Map<string, string>() };
  for (const [service, own] of Object.entries(out)) {
    const role = own.DATABASE_URL ? decodeURIComponent(new URL(own.DATABASE_URL).username) : '';
    for (const [what, value, variable] of [['role', role, 'DATABASE_URL'], ['key', own.PII_KEY ?? '', 'PII_KEY']] as const) {
      const other = value ? seen[what].get(value) : undefined;
      if (other) throw new ConfigError(`${other} and ${service} share one ${what === 'role' ? 'database role' : 'PII key'}: set ${envPrefix(service)}_${variable} to one of its own`);
      if (value) seen[what].set(value, service);
    }
  }
  return out;
}
