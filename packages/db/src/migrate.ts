import { Migrator, sql, type Kysely, type Migration, type MigrationResult } from 'kysely';

export type MigrationSet = Record<string, Migration>;

/**
 * Applies a service's migrations inside its own schema. The migration
 * bookkeeping tables live in that schema too, so services never contend.
 */
export async function migrateToLatest(db: Kysely<unknown>, schema: string, migrations: MigrationSet): Promise<MigrationResult[]> {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (err) {
    // Two processes creating the same schema at once: the loser sees a duplicate.
    if (!['23505', '42P06'].includes((err as { code?: string }).code ?? '')) throw err;
  }
  const migrator = new Migrator({
    db,
    migrationTableSchema: schema,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return results ?? [];
}

export async function dropSchema(db: Kysely<unknown>, schema: string): Promise<void> {
  await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
}
