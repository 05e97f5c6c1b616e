import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { JobSeekerTable, RegistrationDB } from '../database.ts';

type Db = Kysely<RegistrationDB> | Transaction<RegistrationDB>;
export type JobSeekerRow = Selectable<JobSeekerTable>;

export function findSeekerById(db: Db, id: string): Promise<JobSeekerRow | undefined> {
  return db.selectFrom('job_seekers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findSeekerIdByHash(db: Db, hash: string): Promise<string | undefined> {
  const row = await db.selectFrom('job_seekers').select('id').where('id_number_hash', '=', hash).executeTakeFirst();
  return row?.id;
}

export function insertSeeker(db: Db, row: Insertable<JobSeekerTable>): Promise<JobSeekerRow> {
  return db.insertInto('job_seekers').values(row).returningAll().executeTakeFirstOrThrow();
}
