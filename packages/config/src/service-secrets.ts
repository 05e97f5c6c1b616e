import { hkdfSync } from 'node:crypto';
import type { BaseEnv } from './env.ts';
import { DEV_PII_KEY, resolveSecrets, type Secrets } from './secrets.ts';

/**
 * A service's development PII key, derived from the published one: in
 * development and tests every service encrypts under a key of its own, as in
 * production, so that code that relies on a shared key fails everywhere.
 */
export function developmentPiiKey(service: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(DEV_PII_KEY, 'base64'), Buffer.alloc(0), `reemploy pii key of ${service}`, 32));
}

/** The secrets of one service: PII_KEY when set (always in production), else its own development key. */
export function resolveServiceSecrets(service: string, env: BaseEnv, warn: (msg: string) => void = console.warn): Secrets {
  const secrets = resolveSecrets(env, warn);
  return env.PII_KEY ? secrets : { ...secrets, piiKey: developmentPiiKey(service) };
}
