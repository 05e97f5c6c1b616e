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
    // Platform migrations (audit, messaging) may arrive after a service's own.
    allowUnorderedMigrations: true,
    provider: { getMigrations: async () => migrations },
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return results ?? [];
    // Kysely's table check reads every schema's catalog: another process dropping its own
    // schema at that moment fails it with "schema/relation … does not exist". Nothing was applied; retry.
    const e = error as { code?: string; message?: string };
    const othersDropped = (e.code === '3F000' || e.code === '42P01') && !e.message?.includes(schema);
    if (!othersDropped || attempt >= 5) throw error instanceof Error ? error : new Error(String(error));
  }
}

export async function dropSchema(db: Kysely<unknown>, schema: string): Promise<void> {
  await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(db);
}
