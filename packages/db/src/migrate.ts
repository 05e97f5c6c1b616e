import { DEFAULT_MIGRATION_TABLE, Migrator, sql, type Kysely, type Migration, type MigrationResult } from 'kysely';

export type MigrationSet = Record<string, Migration>;

// Kysely's migrator reads the catalog of every schema (its table check calls
// pg_get_serial_sequence on each column), so DDL in another schema at the same
// moment can fail it. All schema DDL of the project takes this lock, one at a time.
// Role provisioning (roles.ts) takes it too.
export const DDL_LOCK_KEY = 'reemploy schema ddl';
const DDL_LOCK = sql`select pg_advisory_lock(hashtext(${DDL_LOCK_KEY}))`;
const DDL_UNLOCK = sql`select pg_advisory_unlock(hashtext(${DDL_LOCK_KEY}))`;

async function underDdlLock<T>(db: Kysely<unknown>, work: (conn: Kysely<unknown>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    // Waiting for the lock while other schemas migrate, and DDL over large tables, may outlast the
    // pool's statement timeout: none on this connection until it goes back to the pool.
    await sql`set statement_timeout = 0`.execute(conn);
    try {
      await DDL_LOCK.execute(conn);
      try {
        return await work(conn);
      } finally {
        await DDL_UNLOCK.execute(conn);
      }
    } finally {
      await sql`reset statement_timeout`.execute(conn);
    }
  });
}

// Catalog races that leave nothing applied: schema, relation or column gone under the check.
const CATALOG_RACE = new Set(['3F000', '42P01', '42703']);

/**
 * Creates the schema when it is missing and the role may (a superuser in
 * development). A service's own role may not: its schema is provisioned for it
 * (roles.ts), and checked first, since CREATE SCHEMA IF NOT EXISTS needs the
 * privilege even when the schema exists.
 */
async function ensureSchema(conn: Kysely<unknown>, schema: string) {
  const { rows } = await sql`select 1 from pg_namespace where nspname = ${schema}`.execute(conn);
  if (rows.length) return;
  try {
    await sql`create schema ${sql.id(schema)}`.execute(conn);
  } catch (err) {
    if ((err as { code?: string }).code !== '42501') throw err;
    throw new Error(`schema "${schema}" does not exist and this role may not create it: provision it first (pnpm migrate with DATABASE_ADMIN_URL, docs/operators.md)`);
  }
}

/**
 * Applies a service's migrations inside its own schema. The migration
 * bookkeeping tables live in that schema too, so services never contend.
 */
export async function migrateToLatest(db: Kysely<unknown>, schema: string, migrations: MigrationSet): Promise<MigrationResult[]> {
  return underDdlLock(db, async (conn) => {
    await ensureSchema(conn, schema);
    const migrator = new Migrator({
      db: conn,
      migrationTableSchema: schema,
      // Platform migrations (audit, messaging, webhooks) may arrive after a service's own.
      allowUnorderedMigrations: true,
      provider: { getMigrations: async () => migrations },
    });
    for (let attempt = 1; ; attempt++) {
      const { error, results } = await migrator.migrateToLatest();
      if (!error) return results ?? [];
      // A database outside this project may still do DDL while we look; nothing was applied: retry.
      const e = error as { code?: string; message?: string };
      const race = CATALOG_RACE.has(e.code ?? '') && !e.message?.includes(schema);
      if (!race || attempt >= 5) throw error instanceof Error ? error : new Error(String(error));
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  });
}

/**
 * The migrations of the set not yet applied in the schema (every one when it
 * has none), by name. Only reads the schema's own migration table: no lock, no
 * DDL, so a service may ask at every start. Migrations applied there that the
 * set does not name (a newer release migrated first) are not counted.
 */
export async function pendingMigrations(db: Kysely<unknown>, schema: string, migrations: MigrationSet): Promise<string[]> {
  const { rows: found } = await sql<{ exists: boolean }>`select to_regclass(format('%I.%I', ${schema}::text, ${DEFAULT_MIGRATION_TABLE}::text)) is not null as exists`.execute(db);
  const applied = new Set<string>();
  if (found[0]?.exists) {
    const { rows } = await sql<{ name: string }>`select name from ${sql.table(`${schema}.${DEFAULT_MIGRATION_TABLE}`)}`.execute(db);
    for (const row of rows) applied.add(row.name);
  }
  return Object.keys(migrations)
    .filter((name) => !applied.has(name))
    .sort();
}

export async function dropSchema(db: Kysely<unknown>, schema: string): Promise<void> {
  await underDdlLock(db, (conn) => sql`drop schema if exists ${sql.id(schema)} cascade`.execute(conn));
}
