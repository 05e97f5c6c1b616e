import { sql, type Insertable, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import { createdKeyset, keysetPage } from '@reemploy/db';
import type { JobPostingsDB, VacancyTable } from '../database.ts';
import { keepsPlacesFor, liveReservedPost } from '../reserved-posts/repository.ts';

type Db = Kysely<JobPostingsDB> | Transaction<JobPostingsDB>;
export type VacancyRow = Selectable<VacancyTable>;
export interface AidBaseReservationRow {
  reserved_post_id: string;
  aid_base_id: string;
  reserved_for: string[];
  quota: number;
  filled: number;
  status: string;
}
export type VacancyWithEmployer = VacancyRow & { employer_name: string; aid_base_reservation: AidBaseReservationRow | null };

function withEmployer(db: Db) {
  return db
    .selectFrom('vacancies as v')
    .innerJoin('employers as e', 'e.id', 'v.employer_id')
    .selectAll('v')
    .select('e.name as employer_name')
    .select((eb) => liveReservedPost(eb.ref('v.id')).as('aid_base_reservation'));
}

export function findVacancy(db: Db, id: string): Promise<VacancyWithEmployer | undefined> {
  return withEmployer(db).where('v.id', '=', id).executeTakeFirst();
}

/** Locks vacancies in id order, so two merges of the same pair cannot deadlock. */
export function lockVacancies(trx: Transaction<JobPostingsDB>, ids: string[]): Promise<VacancyRow[]> {
  return trx.selectFrom('vacancies').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

export async function findOpenDuplicateId(db: Db, key: { employerId: string; occupationCode: string; communityCode: string; titleNormalised: string }) {
  const row = await db
    .selectFrom('vacancies')
    .select('id')
    .where('employer_id', '=', key.employerId)
    .where('occupation_code', '=', key.occupationCode)
    .where('community_code', '=', key.communityCode)
    .where('title_normalised', '=', key.titleNormalised)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return row?.id;
}

export function insertVacancy(db: Db, row: Insertable<VacancyTable>): Promise<VacancyRow> {
  return db.insertInto('vacancies').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateVacancy(db: Db, id: string, changes: Updateable<VacancyTable>): Promise<VacancyRow> {
  return db
    .updateTable('vacancies')
    .set({ ...changes, version: sql`version + 1`, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function employerName(db: Db, id: string): Promise<string | undefined> {
  return (await db.selectFrom('employers').select('name').where('id', '=', id).executeTakeFirst())?.name;
}

/**
 * Open vacancies of the same employer and occupation, in the given region prefixes,
 * whose title is similar to, or contains or is contained in, this one.
 */
export function nearDuplicatesOf(db: Db, v: { id: string; employerId: string; occupationCode: string; titleNormalised: string }, prefixes: string[], threshold: number) {
  const t = v.titleNormalised;
  return db
    .selectFrom('vacancies')
    .select(['id', 'title', 'community_code', sql<number>`round(similarity(title_normalised, ${t})::numeric, 3)::float8`.as('similarity')])
    .where((eb) => eb.or(prefixes.map((p) => eb('community_code', 'like', `${p}%`))))
    .where('employer_id', '=', v.employerId)
    .where('occupation_code', '=', v.occupationCode)
    .where('status', '=', 'open')
    .where('id', '<>', v.id)
    .where(sql<boolean>`(similarity(title_normalised, ${t}) >= ${threshold} or strpos(title_normalised, ${t}) > 0 or strpos(${t}, title_normalised) > 0)`)
    .orderBy(sql`similarity(title_normalised, ${t})`, 'desc')
    .orderBy('id')
    .limit(20)
    .execute();
}

export interface VacancyFilter {
  prefixes: string[];
  occupation?: string | undefined;
  kind?: string | undefined;
  source?: string | undefined;
  status?: string | undefined;
  reservedFor?: string | undefined;
  employerId?: string | undefined;
  jobFairId?: string | undefined;
  /** Normalised free text. */
  text?: string | undefined;
  after?: { at: string; id: string } | undefined;
  limit: number;
}

function likePattern(s: string): string {
  return `%${s.replace(/[\\%_]/g, '\\$&')}%`;
}

/** Newest first, keyset on (created_at, id); `cursor_at` keeps microseconds for the next page. */
export function listVacancies(db: Db, f: VacancyFilter): Promise<(VacancyWithEmployer & { cursor_at: string })[]> {
  let q = withEmployer(db)
    .select(sql<string>`v.created_at::text`.as('cursor_at'))
    .where((eb) => eb.or(f.prefixes.map((p) => eb('v.community_code', 'like', `${p}%`))));
  if (f.occupation) q = f.occupation.length === 7 ? q.where('v.occupation_code', '=', f.occupation) : q.where('v.occupation_code', 'like', `${f.occupation}-%`);
  if (f.kind) q = q.where('v.kind', '=', f.kind);
  if (f.source) q = q.where('v.source', '=', f.source);
  if (f.status) q = q.where('v.status', '=', f.status);
  if (f.reservedFor) {
    const category = f.reservedFor;
    // Its own categories, or those its aid-base post still keeps places for: as matching reads a reserved post.
    q = q.where((eb) => eb.or([eb('v.reserved_for', '@>', sql<string[]>`array[${category}]::text[]`), keepsPlacesFor(eb.ref('v.id'), category)]));
  }
  if (f.employerId) q = q.where('v.employer_id', '=', f.employerId);
  if (f.jobFairId) {
    const fair = f.jobFairId;
    q = q.where('v.id', 'in', (eb) => eb.selectFrom('job_fair_vacancies').select('vacancy_id').where('job_fair_id', '=', fair));
  }
  // Both branches use the trigram index: a substring, or a title close to the text (typos, word order).
  if (f.text) q = q.where(sql<boolean>`(v.title_normalised like ${likePattern(f.text)} or v.title_normalised operator(public.%) ${f.text})`);
  return keysetPage(q, createdKeyset('desc', 'v'), f.after && [f.after.at, f.after.id], f.limit).execute();
}
