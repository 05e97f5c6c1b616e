import { sql, type Kysely } from 'kysely';

/**
 * Each seeker's statutory retirement scheme (male-60, female-55, female-50),
 * from which the retirement date follows with the birth date. People already
 * registered take the shipped default: male-60 for men, female-50 (women
 * workers) for women; a PATCH corrects one person.
 */
export async function up(db: Kysely<unknown>) {
  await db.schema.alterTable('job_seekers').addColumn('retirement_scheme', 'text').execute();
  await sql`update job_seekers set retirement_scheme = case gender when 'male' then 'male-60' else 'female-50' end`.execute(db);
  await sql`alter table job_seekers alter column retirement_scheme set not null`.execute(db);
  await sql`alter table job_seekers add constraint job_seekers_retirement_scheme
    check ((gender = 'male' and retirement_scheme = 'male-60') or (gender = 'female' and retirement_scheme in ('female-55', 'female-50')))`.execute(db);
}

export async function down(db: Kysely<unknown>) {
  await db.schema.alterTable('job_seekers').dropColumn('retirement_scheme').execute();
}
