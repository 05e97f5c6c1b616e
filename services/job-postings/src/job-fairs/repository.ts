import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import { keysetPage } from '@reemploy/db';
import type { JobFairTable, JobPostingsDB } from '../database.ts';

type Db = Kysely<JobPostingsDB> | Transaction<JobPostingsDB>;
export type JobFairRow = Selectable<JobFairTable> & { vacancies: number };

function withCount(db: Db) {
  return db
    .selectFrom('job_fairs as f')
    .selectAll('f')
    .select((eb) => eb.selectFrom('job_fair_vacancies as a').select(eb.fn.countAll<number>().as('n')).whereRef('a.job_fair_id', '=', 'f.id').as('vacancies'));
}

export function findJobFair(db: Db, id: string): Promise<JobFairRow | undefined> {
  return withCount(db).where('f.id', '=', id).executeTakeFirst() as Promise<JobFairRow | undefined>;
}

export async function insertJobFair(db: Db, row: Insertable<JobFairTable>): Promise<JobFairRow> {
  const inserted = await db.insertInto('job_fairs').values(row).returningAll().executeTakeFirstOrThrow();
  return { ...inserted, vacancies: 0 };
}

export interface JobFairFilter {
  prefixes: string[];
  from: string;
  to?: string | undefined;
  targetGroup?: string | undefined;
  after?: { date: string; id: string } | undefined;
  limit: number;
}

/** Soonest first, keyset on (date, id). */
export function listJobFairs(db: Db, f: JobFairFilter): Promise<JobFairRow[]> {
  let q = withCount(db)
    .where((eb) => eb.or(f.prefixes.map((p) => eb('f.community_code', 'like', `${p}%`))))
    .where('f.date', '>=', f.from);
  if (f.to) q = q.where('f.date', '<=', f.to);
  if (f.targetGroup) q = q.where('f.target_groups', '@>', sql<string[]>`array[${f.targetGroup}]::text[]`);
  const keyset = { columns: [{ ref: 'f.date', cast: 'date' }, { ref: 'f.id', cast: 'uuid' }] } as const;
  return keysetPage(q, keyset, f.after && [f.after.date, f.after.id], f.limit).execute() as Promise<JobFairRow[]>;
}

/** Attaches vacancies; returns those that were not attached before. */
export async function attach(db: Db, jobFairId: string, vacancyIds: string[], by: string): Promise<string[]> {
  const rows = await db
    .insertInto('job_fair_vacancies')
    .values(vacancyIds.map((vacancy_id) => ({ job_fair_id: jobFairId, vacancy_id, attached_by: by })))
    .onConflict((oc) => oc.columns(['job_fair_id', 'vacancy_id']).doNothing())
    .returning('vacancy_id')
    .execute();
  return rows.map((r) => r.vacancy_id);
}

/** Moves a vacancy's attachments to another (a merge): fairs that showed it show the other instead, once. */
export async function moveAttachments(trx: Transaction<JobPostingsDB>, fromVacancyId: string, toVacancyId: string): Promise<void> {
  await trx
    .insertInto('job_fair_vacancies')
    .columns(['job_fair_id', 'vacancy_id', 'attached_by'])
    .expression((eb) => eb.selectFrom('job_fair_vacancies').select(['job_fair_id', eb.val(toVacancyId).as('vacancy_id'), 'attached_by']).where('vacancy_id', '=', fromVacancyId))
    .onConflict((oc) => oc.doNothing())
    .execute();
  await trx.deleteFrom('job_fair_vacancies').where('vacancy_id', '=', fromVacancyId).execute();
}
