import { z } from 'zod';

/** Development defaults: documented in .env.example, refused in production. */
export const DEV_JWT_SECRET = 'reemploy-development-secret-do-not-use-in-production';
export const DEV_PII_KEY = 'cmVlbXBsb3ktZGV2LXBpaS1rZXktMzItYnl0ZXMhISE=';

const boolish = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

/** An optional variable set to nothing (`JWT_SECRET=` as .env.example has it) is unset, not an empty value. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** Variables every service reads. Each service extends this with its own port and options. */
export const baseEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development').describe('Run mode; production refuses development secrets'),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/reemploy').describe('PostgreSQL connection string'),
  DB_SCHEMA: optional(z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/)).describe("This service's Postgres schema (defaults to the service name)"),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10).describe('Maximum Postgres connections per process'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379').describe('Redis for BullMQ (appendonly yes, maxmemory-policy noeviction)'),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/).default('reemploy').describe('BullMQ key prefix; separates environments sharing one Redis'),
  JWT_SECRET: optional(z.string().min(32)).describe('HS256 secret for bearer tokens; required in production'),
  PII_KEY: optional(z.string()).describe('Base64 of 32 bytes: AES-256-GCM key for identity numbers and phones; required in production'),
  PII_OLD_KEYS: optional(z.string()).describe('Retired PII keys still readable during rotation: id:base64,id:base64'),
  PII_HASH_KEY: optional(z.string()).describe('Base64 of 32 bytes for the identity-number lookup hash; defaults to one derived from PII_KEY (set it before rotating PII_KEY)'),
  PII_KEY_ID: z.string().regex(/^[a-z0-9-]{1,16}$/).default('k1').describe('Identifier of PII_KEY, stored beside each ciphertext'),
  PII_READ_UNBOUND: boolish
    .default(false)
    .describe('Whether PII ciphertexts written before they were bound to their row are still read: on only while an upgrade re-encrypts them (pnpm rotate-pii)'),
  HOST: z.string().default('127.0.0.1').describe('Address the HTTP server binds to (loopback by default)'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level'),
  BODY_LIMIT: z.coerce.number().int().min(1024).default(1_048_576).describe('Largest accepted JSON body in bytes'),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000).describe('Time allowed to receive a whole request'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000).describe('Requests per minute allowed to one calling system (token sub) on /v1 routes'),
  MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).default(1000).describe('Event-loop lag (ms) beyond which the service sheds load with 503; 0 turns the check off'),
  RUN_WORKERS: boolish.default(true).describe('Whether worker.ts starts queue consumers (producers always run)'),
  WORKER_METRICS_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .optional()
    .describe("Port of a worker process's Prometheus /metrics, on HOST (default 9101 registration, 9102 job-postings, 9103 matching, 9104 assistance-bases)"),
});

export type BaseEnv = z.infer<typeof baseEnvSchema>;

export interface Secrets {
  jwtSecret: string;
  piiKey: Buffer;
  piiKeyId: string;
  /** Older keys still able to decrypt, by id (key rotation). */
  piiOldKeys: Record<string, Buffer>;
  piiHashKey?: Buffer;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment against a schema, failing with every bad variable named. */
export function loadEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

function decodeKey(name: string, value: string): Buffer {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new ConfigError(`${name} must be base64 of exactly 32 bytes`);
  return key;
}

/**
 * Resolves the secrets: in production both must be set; elsewhere the documented
 * development defaults are used and a warning names each one.
 */
export function resolveSecrets(env: BaseEnv, warn: (msg: string) => void = console.warn): Secrets {
  const production = env.NODE_ENV === 'production';
  if (production && !env.JWT_SECRET) throw new ConfigError('JWT_SECRET is required when NODE_ENV=production');
  if (production && !env.PII_KEY) throw new ConfigError('PII_KEY is required when NODE_ENV=production');
  // The development defaults are published (here and in .env.example): with them anyone could mint tokens or read identity numbers.
  if (production && env.JWT_SECRET === DEV_JWT_SECRET) throw new ConfigError('JWT_SECRET is the published development default: set a secret of your own in production');
  if (production && env.PII_KEY === DEV_PII_KEY) throw new ConfigError('PII_KEY is the published development key: set a key of your own in production');
  if (!env.JWT_SECRET) warn('JWT_SECRET is not set: using the development default (never in production)');
  if (!env.PII_KEY) warn('PII_KEY is not set: using the development default (never in production)');
  const piiOldKeys: Record<string, Buffer> = {};
  for (const pair of (env.PII_OLD_KEYS ?? '').split(',').filter(Boolean)) {
    const [id, value] = pair.split(':');
    if (!id || !value) throw new ConfigError('PII_OLD_KEYS must be a comma-separated list of id:base64key');
    piiOldKeys[id] = decodeKey(`PII_OLD_KEYS[${id}]`, value);
  }
  return {
    jwtSecret: env.JWT_SECRET ?? DEV_JWT_SECRET,
    piiKey: decodeKey('PII_KEY', env.PII_KEY ?? DEV_PII_KEY),
    piiKeyId: env.PII_KEY_ID,
    piiOldKeys,
    ...(env.PII_HASH_KEY ? { piiHashKey: decodeKey('PII_HASH_KEY', env.PII_HASH_KEY) } : {}),
  };
}

/** Builds a service's environment schema: the shared variables plus its port. */
export function serviceEnvSchema<P extends string, X extends z.ZodRawShape>(portVar: P, defaultPort: number, extra: X) {
  return baseEnvSchema.extend({
    [portVar]: z.coerce.number().int().min(0).max(65535).default(defaultPort).describe('HTTP port of this service'),
    ...extra,
  } as { [K in P]: z.ZodDefault<z.ZodCoercedNumber<unknown>> } & X);
}
