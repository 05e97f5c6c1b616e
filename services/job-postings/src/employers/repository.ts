import { sql, type Insertable, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import { createdKeyset, keysetPage } from '@reemploy/db';
import type { EmployerTable, JobPostingsDB } from '../database.ts';

type Db = Kysely<JobPostingsDB> | Transaction<JobPostingsDB>;
export type EmployerRow = Selectable<EmployerTable>;

export function findEmployerById(db: Db, id: string): Promise<EmployerRow | undefined> {
  return db.selectFrom('employers').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockEmployer(trx: Transaction<JobPostingsDB>, id: string): Promise<EmployerRow | undefined> {
  return trx.selectFrom('employers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findEmployerIdByCreditCode(db: Db, creditCode: string): Promise<string | undefined> {
  return (await db.selectFrom('employers').select('id').where('credit_code', '=', creditCode).executeTakeFirst())?.id;
}

export function insertEmployer(db: Db, row: Insertable<EmployerTable>): Promise<EmployerRow> {
  return db.insertInto('employers').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateEmployer(db: Db, id: string, changes: Updateable<EmployerTable>): Promise<EmployerRow> {
  return db
    .updateTable('employers')
    .set({ ...changes, version: sql`version + 1`, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface EmployerFilter {
  prefixes: string[];
  q?: string | undefined;
  creditCode?: string | undefined;
  after?: { at: string; id: string } | undefined;
  limit: number;
}

/** A page in keyset order (created_at, id); `cursor_at` keeps microseconds for the next page. */
export function listEmployers(db: Db, f: EmployerFilter) {
  let q = db
    .selectFrom('employers')
    .selectAll()
    .select(sql<string>`created_at::text`.as('cursor_at'))
    .where((eb) => eb.or(f.prefixes.map((p) => eb('community_code', 'like', `${p}%`))));
  if (f.q) q = q.where(sql<boolean>`name ilike ${'%' + f.q.replace(/[\\%_]/g, '\\$&') + '%'}`);
  if (f.creditCode) q = q.where('credit_code', '=', f.creditCode);
  return keysetPage(q, createdKeyset(), f.after && [f.after.at, f.after.id], f.limit).execute();
}
