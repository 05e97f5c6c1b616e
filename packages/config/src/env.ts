import { compile as compileTrustedProxies } from '@fastify/proxy-addr';
import { z } from 'zod';

const boolish = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

/** An optional variable set to nothing (`JWT_SECRET=` as .env.example has it) is unset, not an empty value. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/**
 * Which peers may speak for the client through X-Forwarded-For/-Proto/-Host (Fastify's `trustProxy`):
 * `false` none, `true` any, or a comma-separated list of addresses, CIDRs and the names `loopback`,
 * `linklocal`, `uniquelocal`. A bare hop count is refused: Fastify 5.12.1 dropped it, since it cannot tell
 * a proxy from a client that writes the headers itself.
 */
const trustProxy = z
  .string()
  .default('false')
  .transform((value, ctx): boolean | string[] => {
    const text = value.trim();
    if (text === '' || text === 'false') return false;
    if (text === 'true') return true;
    if (/^\d+$/.test(text)) {
      ctx.addIssue({ code: 'custom', message: 'a hop count cannot tell a proxy from a client: name the proxies\' addresses or CIDRs (or true, false)' });
      return z.NEVER;
    }
    const entries = text.split(',').map((entry) => entry.trim());
    try {
      compileTrustedProxies(entries);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `must be true, false or addresses/CIDRs separated by commas (${(err as Error).message})` });
      return z.NEVER;
    }
    return entries;
  });

/** Variables every service reads. Each service extends this with its own port and options. */
export const baseEnvSchema = z.object({
  NODE_ENV: optional(z.enum(['development', 'test', 'production'])).describe(
    'Run mode. Only development and test fall back to the published development secrets and accept development (HS256) tokens; production, or NODE_ENV unset, requires every secret',
  ),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/reemploy').describe('PostgreSQL connection string'),
  DB_SCHEMA: optional(z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/)).describe("This service's Postgres schema (defaults to the service name)"),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10).describe('Maximum Postgres connections per process'),
  DB_STATEMENT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(30_000)
    .describe('Postgres cancels a statement of this service running longer than this (ms; 0: no limit); batch steps opt in to DB_BATCH_STATEMENT_TIMEOUT_MS'),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(60_000)
    .describe('Postgres ends a session left idle inside a transaction longer than this (ms; 0: no limit), releasing its locks'),
  DB_BATCH_STATEMENT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(1_800_000)
    .describe("Statement timeout (ms; 0: no limit) of the long batch steps that opt in: matching runs' COPY and finalize, bulk-import chunks, retention and daily passes"),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379').describe('Redis for BullMQ (appendonly yes, maxmemory-policy noeviction)'),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/).default('reemploy').describe('BullMQ key prefix; separates environments sharing one Redis'),
  JWT_SECRET: optional(z.string().min(32)).describe(
    'Development and test only: HS256 secret of development tokens (default: the published development secret); refused elsewhere, where tokens are verified against the issuer\'s JWKS',
  ),
  TOKEN_ISSUER: optional(z.string().min(1).max(500)).describe(
    "The identity provider's issuer identifier, which access tokens must carry as iss; required outside development and test (there: reemploy-development)",
  ),
  TOKEN_AUDIENCE: optional(z.string().min(1).max(200)).describe("This service's name in a token's aud (default reemploy-<service>, e.g. reemploy-registration)"),
  JWKS_URL: optional(z.url({ protocol: /^https?$/ })).describe(
    "Address of the issuer's JSON Web Key Set (https outside development and test); one of JWKS_URL, JWKS_FILE, JWKS_JSON is required outside development and test",
  ),
  JWKS_FILE: optional(z.string()).describe("Path of a file holding the issuer's JSON Web Key Set, read at start, again every JWKS_REFRESH_SECONDS and when a token names an unknown kid"),
  JWKS_JSON: optional(z.string()).describe("The issuer's JSON Web Key Set itself, as JSON (tests, or a set that changes only with a deployment)"),
  JWKS_REFRESH_SECONDS: z.coerce.number().int().min(1).max(3600).default(60).describe('How often the key set is fetched or re-read, so added keys are trusted and removed ones are no longer'),
  TOKEN_MAX_LIFETIME_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600).describe('Longest lifetime (exp - iat) of an accepted access token, in seconds'),
  TOKEN_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30).describe("Difference from the issuer's clock tolerated on exp, nbf and iat, in seconds"),
  PII_KEY: optional(z.string()).describe('Base64 (or base64url) of 32 random bytes: AES-256-GCM key for identity numbers and phones; required outside development and test'),
  PII_OLD_KEYS: optional(z.string()).describe('Retired PII keys still readable during rotation: id:base64,id:base64'),
  PII_HASH_KEY: optional(z.string()).describe('Base64 of 32 bytes for the identity-number lookup hash; defaults to one derived from PII_KEY (set it before rotating PII_KEY)'),
  PII_KEY_ID: z.string().regex(/^[a-z0-9-]{1,16}$/).default('k1').describe('Identifier of PII_KEY, stored beside each ciphertext'),
  PII_READ_UNBOUND: boolish
    .default(false)
    .describe('Whether PII ciphertexts written before they were bound to their row are still read: on only while an upgrade re-encrypts them (pnpm rotate-pii)'),
  EVENT_SIGNING_KEY: optional(z.string()).describe(
    'Base64 of 32 random bytes: HMAC-SHA256 key with which the outbox relay signs every event it publishes; consumers apply only events it verifies. Required outside development and test',
  ),
  EVENT_SIGNING_OLD_KEYS: optional(z.string()).describe('Retired event signing keys (base64, comma-separated) consumers still accept while events signed with them drain'),
  CITY_CODE: z
    .string()
    .regex(/^\d{4}$/, 'must be a four-digit city division code')
    .default('3205')
    .describe('The city this deployment serves (3205 = Suzhou): the queue dashboard needs an operator whose regions cover it'),
  TRUST_PROXY: trustProxy.describe(
    'Proxies whose X-Forwarded-* headers are believed (Fastify trustProxy): false (default), true, or addresses/CIDRs/loopback separated by commas',
  ),
  DOCS_ENABLED: optional(boolish).describe('Whether /docs and /docs/json are served; unset: on in development and test, off in production'),
  RESPONSE_CHECKS: optional(boolish).describe(
    'Whether each answer is also checked against its zod schema (a misfit is a 500) and the compiled writer against zod; unset: on in development and test, off in production',
  ),
  HOST: z.string().default('127.0.0.1').describe('Address the HTTP server binds to (loopback by default)'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level'),
  BODY_LIMIT: z.coerce.number().int().min(1024).default(1_048_576).describe('Largest accepted JSON body in bytes'),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000).describe('Time allowed to receive a whole request'),
  RATE_LIMIT_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(6000)
    .describe('Requests per minute to this service allowed to one calling system (the sub of a valid token), counted in Redis across instances'),
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(600)
    .describe('Requests per minute to this service allowed from one client address without a valid token (401s and the like), counted in Redis across instances'),
  IMPORT_CONCURRENCY_PER_CALLER: z.coerce.number().int().min(1).default(2).describe('Bulk imports one calling system may run at once in one process (429 beyond)'),
  IMPORT_CONCURRENCY_PER_SERVICE: z.coerce.number().int().min(1).default(4).describe('Bulk imports one process runs at once, all callers together (503 beyond)'),
  METRICS_CACHE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(5000)
    .describe('How long /metrics reuses the queue depths and outbox lag it read from Redis and Postgres (ms)'),
  MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).default(1000).describe('Event-loop lag (ms) beyond which the service sheds load with 503; 0 turns the check off'),
  RUN_WORKERS: boolish.default(true).describe('Whether worker.ts starts queue consumers (producers always run)'),
  WORKER_METRICS_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .optional()
    .describe("Port of a worker process's Prometheus /metrics, on HOST (default 9101 registration, 9102 job-postings, 9103 matching, 9104 assistance-bases)"),
  RETENTION_OUTBOX_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .default(7)
    .describe('Days a published event stays in the outbox (for tracing what went out) before the hourly purge deletes it; unpublished events are never purged'),
  RETENTION_WEBHOOK_DELIVERIES_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .default(30)
    .describe('Days a delivered or failed webhook delivery (its body holds the event data) stays listable and replayable before the hourly purge deletes it; pending ones are never purged'),
  RETENTION_IDEMPOTENCY_KEYS_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .default(24)
    .describe('Hours an Idempotency-Key and its stored answer are kept after the answer (a repeat is replayed within them) before the hourly purge deletes it; keys still in progress are never purged'),
  WEBHOOK_ALLOW_LOOPBACK: boolish
    .default(false)
    .describe('Development and tests only: webhook receivers may be http and on loopback (127.0.0.0/8, ::1); a service refuses to start with it outside development and test'),
  WEBHOOK_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).max(1000).default(20).describe('Webhook subscriptions one calling system (token sub) may hold at a service; 429 beyond'),
  WEBHOOK_REPLAYS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30).describe('Webhook delivery replays one calling system may ask for per minute at a service (counted in Redis); 429 beyond'),
});

export type BaseEnv = z.infer<typeof baseEnvSchema>;

/** Development defaults and development tokens apply only when NODE_ENV says so exactly; unset is not development. */
export function isDevelopmentMode(env: { NODE_ENV?: string | undefined }): boolean {
  return env.NODE_ENV === 'development' || env.NODE_ENV === 'test';
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

/** Builds a service's environment schema: the shared variables plus its port. */
export function serviceEnvSchema<P extends string, X extends z.ZodRawShape>(portVar: P, defaultPort: number, extra: X) {
  return baseEnvSchema.extend({
    [portVar]: z.coerce.number().int().min(0).max(65535).default(defaultPort).describe('HTTP port of this service'),
    ...extra,
  } as { [K in P]: z.ZodDefault<z.ZodCoercedNumber<unknown>> } & X);
}

/** Answers are checked against their schemas unless switched off, and outside development and test only when switched on. */
export function responseChecks(env: Pick<BaseEnv, 'RESPONSE_CHECKS' | 'NODE_ENV'>): boolean {
  return env.RESPONSE_CHECKS ?? isDevelopmentMode(env);
}

/** API documentation is served unless switched off, and outside development and test only when switched on. */
export function docsEnabled(env: Pick<BaseEnv, 'DOCS_ENABLED' | 'NODE_ENV'>): boolean {
  return env.DOCS_ENABLED ?? isDevelopmentMode(env);
}
