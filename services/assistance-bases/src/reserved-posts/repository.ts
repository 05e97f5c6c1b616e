import { sql, type Insertable, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { AssistanceBasesDB, ReservedPostTable, VacancyProjectionTable } from '../database.ts';

type Db = Kysely<AssistanceBasesDB> | Transaction<AssistanceBasesDB>;
export type ReservedPostRow = Selectable<ReservedPostTable>;
export type VacancyRow = Selectable<VacancyProjectionTable>;

export function findVacancy(db: Db, id: string): Promise<VacancyRow | undefined> {
  return db.selectFrom('vacancies').selectAll().where('vacancy_id', '=', id).executeTakeFirst();
}

export function findVacancies(db: Db, ids: string[]): Promise<VacancyRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('vacancies').selectAll().where('vacancy_id', 'in', ids).execute();
}

export function insertPost(db: Db, row: Insertable<ReservedPostTable>): Promise<ReservedPostRow> {
  return db.insertInto('reserved_posts').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findPost(db: Db, id: string): Promise<ReservedPostRow | undefined> {
  return db.selectFrom('reserved_posts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findLivePostIdForVacancy(db: Db, vacancyId: string): Promise<string | undefined> {
  const row = await db.selectFrom('reserved_posts').select('id').where('vacancy_id', '=', vacancyId).where('status', '<>', 'withdrawn').executeTakeFirst();
  return row?.id;
}

/** The active post reserving a vacancy, locked so concurrent hires count one by one. */
export function lockActivePostForVacancy(db: Db, vacancyId: string): Promise<ReservedPostRow | undefined> {
  return db.selectFrom('reserved_posts').selectAll().where('vacancy_id', '=', vacancyId).where('status', '=', 'active').forUpdate().executeTakeFirst();
}

export function updatePost(db: Db, id: string, version: number, patch: Updateable<ReservedPostTable>): Promise<ReservedPostRow | undefined> {
  return db
    .updateTable('reserved_posts')
    .set({ ...patch, version: sql`version + 1`, updated_at: new Date() })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export function listPosts(db: Db, f: { baseId: string; status?: string; after?: { at: string; id: string }; limit: number }): Promise<ReservedPostRow[]> {
  let q = db.selectFrom('reserved_posts').selectAll().where('aid_base_id', '=', f.baseId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.after) {
    const { at, id } = f.after;
    q = q.where((eb) => eb.or([eb('created_at', '<', new Date(at)), eb.and([eb('created_at', '=', new Date(at)), eb('id', '<', id)])]));
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}
