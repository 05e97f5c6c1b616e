import { sql, type Kysely } from 'kysely';

/**
 * The seekers registration has anonymised: their rows are deleted, and only the
 * id stays here, so that a snapshot of the person published before the
 * anonymisation and delivered after it (events are consumed concurrently) does
 * not bring the person back.
 */
export async function up(db: Kysely<unknown>) {
  await db.schema
    .createTable('forgotten_seekers')
    .addColumn('seeker_id', 'uuid', (c) => c.primaryKey())
    .addColumn('forgotten_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>) {
  await db.schema.dropTable('forgotten_seekers').execute();
}
