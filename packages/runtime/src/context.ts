import pino, { type Logger } from 'pino';
import { sql } from 'kysely';
import { resolveSecrets, type BaseEnv } from '@reemploy/config';
import { createDatabase, migrateToLatest, type MigrationSet } from '@reemploy/db';
import { loggerOptions, piiAuditMigration20261129, piiAuditRegionMigration20261208 } from '@reemploy/http-kit';
import { assertRedisPolicy, closeRedis, createRedis, waitReady, type MessagingTables } from '@reemploy/messaging';
import { createPiiCipher } from '@reemploy/pii';
import { webhooksMigration20261129 } from '@reemploy/webhooks';
import type { ServiceContext, ServiceDefinition } from './service.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyContext = ServiceContext<any, any>;

export function schemaOf(def: { name: string }, env: BaseEnv): string {
  return env.DB_SCHEMA ?? def.name.replaceAll('-', '_');
}

/** Opens the service's stores. Nothing here starts consumers. */
export function createContext<DB extends MessagingTables, Env extends BaseEnv>(
  def: ServiceDefinition<DB, Env>,
  env: Env,
  logger: Logger = pino(loggerOptions(def.name, env.LOG_LEVEL)),
): ServiceContext<DB, Env> {
  const secrets = resolveSecrets(env, (msg) => logger.warn(msg));
  const schema = schemaOf(def, env);
  const database = createDatabase<DB>({
    url: env.DATABASE_URL,
    schema,
    poolMax: env.DB_POOL_MAX,
    applicationName: `reemploy-${def.name}`,
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
    }),
    logger,
  };
}

/** Start-up checks: Redis answers with the right policy; the schema is migrated. */
export async function prepareContext(ctx: AnyContext, migrations: MigrationSet) {
  await waitReady(ctx.redis, 10_000);
  await assertRedisPolicy(ctx.redis, (msg) => ctx.logger.warn(msg));
  await sql`select 1`.execute(ctx.db);
  await migrateToLatest(ctx.db as never, ctx.database.schema, {
    ...migrations,
    '2026-11-29-00-pii-audit': piiAuditMigration20261129,
    '2026-11-29-00-webhooks': webhooksMigration20261129,
    '2026-12-08-00-pii-audit-region': piiAuditRegionMigration20261208,
  });
}

/** prepareContext with the definition's migrations, then its own prepare step. */
export async function prepareService<DB extends MessagingTables, Env extends BaseEnv>(ctx: ServiceContext<DB, Env>, def: ServiceDefinition<DB, Env>) {
  await prepareContext(ctx, def.migrations);
  await def.prepare?.(ctx);
}

export async function closeContext(ctx: AnyContext) {
  await closeRedis(ctx.redis);
  await ctx.database.close();
}
