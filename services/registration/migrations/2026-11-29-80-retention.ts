import { sql, type Kysely } from 'kysely';

/**
 * Retention: a seeker withdrawn for longer than RETENTION_WITHDRAWN_DAYS is
 * anonymised. Their identity number, its lookup hash, name and phone are
 * removed (so the columns become nullable) and `anonymised_at` says when.
 */
export async function up(db: Kysely<unknown>) {
  await db.schema
    .alterTable('job_seekers')
    .addColumn('anonymised_at', 'timestamptz')
    .alterColumn('id_number_hash', (c) => c.dropNotNull())
    .alterColumn('id_number_enc', (c) => c.dropNotNull())
    .alterColumn('name_enc', (c) => c.dropNotNull())
    .execute();
  await sql`create index job_seekers_retention on job_seekers (coalesce(status_since, updated_at)) where status = 'withdrawn' and anonymised_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>) {
  await sql`drop index job_seekers_retention`.execute(db);
  await db.schema.alterTable('job_seekers').dropColumn('anonymised_at').execute();
}
