import { ConfigError, isDevelopmentMode, type BaseEnv } from './env.ts';
import { estimatedEntropyBits, MIN_KEY_ENTROPY_BITS } from './key-strength.ts';
import { DEV_JWT_SECRET, resolveTokenTrust, type TokenTrust } from './tokens.ts';

/** Development PII key: documented in .env.example, accepted only when NODE_ENV is development or test. */
export const DEV_PII_KEY = 'cmVlbXBsb3ktZGV2LXBpaS1rZXktMzItYnl0ZXMhISE=';
/** Development event signing key (base64 of 32 bytes): accepted only when NODE_ENV is development or test. */
export const DEV_EVENT_SIGNING_KEY = 'cmVlbXBsb3ktZGV2LWV2ZW50LXNpZ25pbmcta2V5ISE=';

/**
 * Every secret this repository publishes, as bytes: a key is compared with
 * these after decoding, so padding, base64url or surrounding spaces do not
 * make a published key look new.
 */
const PUBLISHED_SECRETS = [Buffer.from(DEV_PII_KEY, 'base64'), Buffer.from(DEV_EVENT_SIGNING_KEY, 'base64'), Buffer.from(DEV_JWT_SECRET)];

export interface Secrets {
  piiKey: Buffer;
  piiKeyId: string;
  /** Older keys still able to decrypt, by id (key rotation). */
  piiOldKeys: Record<string, Buffer>;
  piiHashKey?: Buffer;
  /** Which bearer tokens the service trusts. */
  tokens: TokenTrust;
  /** The outbox relay signs with `current`; consumers accept it and the retired `previous` keys. */
  eventSigningKeys: { current: Buffer; previous: Buffer[] };
}

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * A 32-byte key from base64 or base64url, padded or not. Outside development
 * and test it must not be a published secret and must carry at least 128 bits
 * of estimated entropy. Problems name the variable, never the value.
 */
function readKey(name: string, value: string, development: boolean, problems: string[]): Buffer | undefined {
  const text = value.trim();
  const key = BASE64.test(text) ? Buffer.from(text, 'base64') : undefined;
  if (key?.length !== 32) {
    problems.push(`${name} must be base64 of exactly 32 bytes (openssl rand -base64 32)`);
    return undefined;
  }
  if (development) return key;
  if (PUBLISHED_SECRETS.some((published) => published.equals(key))) {
    problems.push(`${name} is a published development key: generate one of your own (openssl rand -base64 32)`);
  } else {
    const bits = estimatedEntropyBits(key);
    if (bits < MIN_KEY_ENTROPY_BITS) {
      problems.push(`${name} is too predictable (about ${Math.floor(bits)} bits of estimated entropy, below ${MIN_KEY_ENTROPY_BITS}): generate it with openssl rand -base64 32`);
    }
  }
  return key;
}

function readOldKeys(value: string | undefined, development: boolean, problems: string[]): Record<string, Buffer> {
  const keys: Record<string, Buffer> = {};
  for (const pair of (value ?? '').split(',').filter(Boolean)) {
    const at = pair.indexOf(':');
    const id = pair.slice(0, at).trim();
    if (at < 1 || !/^[a-z0-9-]{1,16}$/.test(id)) {
      problems.push('PII_OLD_KEYS must be a comma-separated list of id:base64key');
      continue;
    }
    const key = readKey(`PII_OLD_KEYS[${id}]`, pair.slice(at + 1), development, problems);
    if (key) keys[id] = key;
  }
  return keys;
}

/**
 * Resolves the secrets. Only when NODE_ENV is exactly development or test do the
 * published defaults fill in what is unset (with a warning naming each one);
 * anywhere else, NODE_ENV unset included, every secret is required and checked,
 * and every problem is reported at once.
 */
export function resolveSecrets(env: BaseEnv, warn: (msg: string) => void = console.warn): Secrets {
  const development = isDevelopmentMode(env);
  const problems: string[] = [];
  if (!env.PII_KEY && development) warn('PII_KEY is not set: using the published development key (never in production)');
  if (!env.PII_KEY && !development) problems.push('PII_KEY is required');
  const piiKey = env.PII_KEY || development ? readKey('PII_KEY', env.PII_KEY ?? DEV_PII_KEY, development, problems) : undefined;
  const piiHashKey = env.PII_HASH_KEY ? readKey('PII_HASH_KEY', env.PII_HASH_KEY, development, problems) : undefined;
  const piiOldKeys = readOldKeys(env.PII_OLD_KEYS, development, problems);
  // Loopback receivers would let any subscriber reach the services' own ports and Redis.
  if (env.WEBHOOK_ALLOW_LOOPBACK && !development) problems.push('WEBHOOK_ALLOW_LOOPBACK is for development and tests only: unset it');
  const tokens = resolveTokenTrust(env, development, problems, warn);
  // With a published or guessable key, anyone who can write to Redis could forge an event the consumers would apply.
  if (!env.EVENT_SIGNING_KEY && development) warn('EVENT_SIGNING_KEY is not set: using the published development key (never in production)');
  if (!env.EVENT_SIGNING_KEY && !development) problems.push('EVENT_SIGNING_KEY is required');
  const eventSigningKey = env.EVENT_SIGNING_KEY || development ? readKey('EVENT_SIGNING_KEY', env.EVENT_SIGNING_KEY ?? DEV_EVENT_SIGNING_KEY, development, problems) : undefined;
  const eventSigningOldKeys = (env.EVENT_SIGNING_OLD_KEYS ?? '')
    .split(',')
    .filter((k) => k.trim())
    .flatMap((k, i) => readKey(`EVENT_SIGNING_OLD_KEYS[${i}]`, k, development, problems) ?? []);
  if (eventSigningKey && piiKey?.equals(eventSigningKey)) problems.push('EVENT_SIGNING_KEY must differ from PII_KEY');
  if (problems.length) {
    const mode = env.NODE_ENV ? `NODE_ENV=${env.NODE_ENV}` : 'NODE_ENV unset (development defaults need NODE_ENV=development or test)';
    throw new ConfigError(`invalid secrets (${mode}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  return {
    piiKey: piiKey!,
    piiKeyId: env.PII_KEY_ID,
    piiOldKeys,
    ...(piiHashKey ? { piiHashKey } : {}),
    tokens,
    eventSigningKeys: { current: eventSigningKey!, previous: eventSigningOldKeys },
  };
}
