import { sql, type Kysely } from 'kysely';

/**
 * Bulk import: households named by the sending platform's household number,
 * unique within a community, so a re-upload finds the same household; and one
 * index fewer to maintain per imported person (the prefix index serves
 * equality on community_code as well).
 */
export async function up(db: Kysely<unknown>) {
  await db.schema.alterTable('households').addColumn('household_key', 'text').execute();
  await sql`create unique index households_key on households (community_code, household_key) where household_key is not null`.execute(db);
  await sql`drop index if exists job_seekers_community`.execute(db);
}

export async function down(db: Kysely<unknown>) {
  await db.schema.createIndex('job_seekers_community').on('job_seekers').columns(['community_code', 'id']).execute();
  await sql`drop index households_key`.execute(db);
  await db.schema.alterTable('households').dropColumn('household_key').execute();
}
