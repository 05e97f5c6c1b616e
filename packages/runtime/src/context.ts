import pino, { type Logger } from 'pino';
import { ConfigError, isDevelopmentMode, type BaseEnv } from '@reemploy/config';
import { resolveServiceSecrets } from '@reemploy/config/service-secrets';
import { connectionRole, createDatabase, migrateToLatest, pendingMigrations, type MigrationSet, type SessionLimits } from '@reemploy/db';
import { loggerOptions, piiAuditMigration20261129, piiAuditRegionMigration20261208 } from '@reemploy/http-kit';
import { assertRedisPolicy, closeRedis, createRedis, messagingRetentionMigration20261207, waitReady, type MessagingTables } from '@reemploy/messaging';
import { createPiiCipher } from '@reemploy/pii';
import { webhooksMigration20261129, webhooksMigration20261207, webhooksRetentionMigration20261207 } from '@reemploy/webhooks';
import type { ServiceContext, ServiceDefinition } from './service.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyContext = ServiceContext<any, any>;

export function schemaOf(def: { name: string }, env: BaseEnv): string {
  return env.DB_SCHEMA ?? def.name.replaceAll('-', '_');
}

/** The Postgres session limits the environment sets for every pool of the service. */
export function sessionLimits(env: BaseEnv): SessionLimits {
  return { statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS, idleInTransactionTimeoutMs: env.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS };
}

/** Opens the service's stores. Nothing here starts consumers. */
export function createContext<DB extends MessagingTables, Env extends BaseEnv>(
  def: ServiceDefinition<DB, Env>,
  env: Env,
  logger: Logger = pino(loggerOptions(def.name, env.LOG_LEVEL)),
): ServiceContext<DB, Env> {
  const secrets = resolveServiceSecrets(def.name, env, (msg) => logger.warn(msg));
  const schema = schemaOf(def, env);
  const database = createDatabase<DB>({
    url: env.DATABASE_URL,
    schema,
    poolMax: env.DB_POOL_MAX,
    applicationName: `reemploy-${def.name}`,
    limits: sessionLimits(env),
    onIdleError: (err) => logger.warn({ err: err.message }, 'idle Postgres connection lost'),
  });
  const redis = createRedis(env.REDIS_URL, 'producer', `${def.name}-producer`);
  redis.on('error', (err) => logger.debug({ err: err.message }, 'producer Redis error'));
  return {
    service: def.name,
    env,
    secrets,
    database,
    db: database.db,
    redis,
    queuePrefix: env.QUEUE_PREFIX,
    pii: createPiiCipher({
      keyId: secrets.piiKeyId,
      key: secrets.piiKey,
      oldKeys: secrets.piiOldKeys,
      ...(secrets.piiHashKey ? { hashKey: secrets.piiHashKey } : {}),
      readUnbound: env.PII_READ_UNBOUND,
    }),
    logger,
  };
}

/**
 * A service connects as its own role, which owns its schema alone: one that
 * reads every schema (a superuser) would undo that. Refused outside development
 * and test, which may still run on the superuser (`DATABASE_URL`'s default).
 */
async function assertOwnRole(ctx: AnyContext) {
  const { role, readsEverySchema } = await connectionRole(ctx.db as never);
  if (!readsEverySchema) return;
  const message = `DATABASE_URL connects as "${role}", which reads every service's schema: each service connects as a role of its own (docs/operators.md)`;
  if (!isDevelopmentMode(ctx.env)) throw new ConfigError(message);
  ctx.logger.warn(message);
}

/** Start-up checks: Redis answers with the right policy; the service's own role. */
async function checkStores(ctx: AnyContext) {
  await waitReady(ctx.redis, 10_000);
  await assertRedisPolicy(ctx.redis, (msg) => ctx.logger.warn(msg));
  await assertOwnRole(ctx);
  if (ctx.env.PII_READ_UNBOUND) ctx.logger.warn('PII_READ_UNBOUND is on: ciphertexts not bound to their row are read; run pnpm rotate-pii, then turn it off');
}

/** A service's migrations with the platform's (PII audit, messaging, webhooks), which every schema holds. */
export function schemaMigrations(migrations: MigrationSet): MigrationSet {
  return {
    ...migrations,
    '2026-11-29-00-pii-audit': piiAuditMigration20261129,
    '2026-11-29-00-webhooks': webhooksMigration20261129,
    '2026-12-07-00-webhook-audience': webhooksMigration20261207,
    '2026-12-07-00-messaging-retention': messagingRetentionMigration20261207,
    '2026-12-07-00-webhooks-retention': webhooksRetentionMigration20261207,
    '2026-12-08-00-pii-audit-region': piiAuditRegionMigration20261208,
  };
}

/** The start-up checks, then migrates the schema: `pnpm migrate`, the test helper and the development tools. */
export async function prepareContext(ctx: AnyContext, migrations: MigrationSet) {
  await checkStores(ctx);
  await migrateToLatest(ctx.db as never, ctx.database.schema, schemaMigrations(migrations));
}

/**
 * The start-up checks, then refuses a schema that lacks a migration: a
 * service never migrates when it starts (every start would take the
 * project-wide DDL lock); `pnpm migrate` does, as a step of its own.
 */
export async function assertMigrated(ctx: AnyContext, migrations: MigrationSet) {
  await checkStores(ctx);
  const pending = await pendingMigrations(ctx.db as never, ctx.database.schema, schemaMigrations(migrations));
  if (!pending.length) return;
  const listed = pending.length > 3 ? `${pending.slice(0, 3).join(', ')} and ${pending.length - 3} more` : pending.join(', ');
  throw new ConfigError(
    `schema "${ctx.database.schema}" is not at the latest migration (${pending.length} pending: ${listed}): run pnpm migrate first, then start the service (docs/operators.md)`,
  );
}

/** prepareContext with the definition's migrations, then its own prepare step. */
export async function prepareService<DB extends MessagingTables, Env extends BaseEnv>(ctx: ServiceContext<DB, Env>, def: ServiceDefinition<DB, Env>) {
  await prepareContext(ctx, def.migrations);
  await def.prepare?.(ctx);
}

/** How a server or worker process starts: assertMigrated, then the definition's prepare step. */
export async function startService<DB extends MessagingTables, Env extends BaseEnv>(ctx: ServiceContext<DB, Env>, def: ServiceDefinition<DB, Env>) {
  await assertMigrated(ctx, def.migrations);
  await def.prepare?.(ctx);
}

export async function closeContext(ctx: AnyContext) {
  await closeRedis(ctx.redis);
  await ctx.database.close();
}
