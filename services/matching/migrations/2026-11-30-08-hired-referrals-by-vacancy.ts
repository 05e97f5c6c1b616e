import { sql, type Kysely } from 'kysely';

/** A vacancy's hires, counted on every snapshot of it (projection/vacancies.ts): by vacancy, hired only. */
export async function up(db: Kysely<unknown>) {
  await sql`create index referrals_hired_vacancy on referrals (vacancy_id) where status = 'hired'`.execute(db);
}

export async function down(db: Kysely<unknown>) {
  await sql`drop index referrals_hired_vacancy`.execute(db);
}
