import { sql, type Kysely } from 'kysely';
import { createdKeyset, keysetPage } from '@reemploy/db';
import type { MatchingDB, RunRow } from '../database.ts';
import { activeSeekerSql } from '../matcher/inputs.ts';

type Db = Kysely<MatchingDB>;

/**
 * Runs overlapping the regions (a run of the whole city, of one of them or of a
 * part, or of an area holding one), newest first: `limit + 1` of them, for `pageFrom`.
 */
export function listRuns(db: Db, f: { regions: readonly string[]; status?: RunRow['status'] | undefined; after?: [Date, string] | undefined; limit: number }): Promise<RunRow[]> {
  let q = db
    .selectFrom('matching_runs')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('region_code', 'is', null),
        ...f.regions.flatMap((p) => [eb('region_code', 'like', `${p}%`), eb(eb.val(p), 'like', sql<string>`region_code || '%'`)]),
      ]),
    );
  if (f.status) q = q.where('status', '=', f.status);
  return keysetPage(q, createdKeyset('desc'), f.after, f.limit).execute();
}

export function findRun(db: Db, id: string): Promise<RunRow | undefined> {
  return db.selectFrom('matching_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A queued or running run whose region overlaps this one. */
export function findActiveOverlapping(db: Db, regionCode: string | null) {
  return db
    .selectFrom('matching_runs')
    .select(['id', 'region_code'])
    .where('status', 'in', ['queued', 'running'])
    .where((eb) =>
      regionCode === null
        ? eb.val(true)
        : eb.or([eb('region_code', 'is', null), eb(eb.val(regionCode), 'like', sql<string>`region_code || '%'`), eb('region_code', 'like', `${regionCode}%`)]),
    )
    .executeTakeFirst();
}

/** Active seekers per street (first nine digits) inside the run's region. */
export async function seekersByStreet(db: Db, regionCode: string | null): Promise<{ street: string; n: number }[]> {
  const { rows } = await sql<{ street: string; n: number }>`
    select left(community_code, 9) as street, count(*)::int as n from seekers
    where ${sql.raw(activeSeekerSql())} and community_code like ${`${regionCode ?? ''}%`}
    group by 1 order by 1`.execute(db);
  return rows;
}

export async function countOpenVacancies(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from vacancies v where v.status = 'open' and v.headcount_left > 0 and v.valid_until > now()`.execute(db);
  return rows[0]?.n ?? 0;
}

export function undonePartitions(db: Db, runId: string) {
  return db.selectFrom('run_partitions').select('partition_key').where('run_id', '=', runId).where('done_at', 'is', null).execute();
}

/** Marks a queued or running run failed; returns it when this call failed it (once per run). */
export async function markFailed(db: Db, runId: string, error: string) {
  return db
    .updateTable('matching_runs')
    .set({ status: 'failed', error: error.slice(0, 500), finished_at: new Date() })
    .where('id', '=', runId)
    .where('status', 'in', ['queued', 'running'])
    .returning(['trigger', 'created_at', 'started_at', 'finished_at'])
    .executeTakeFirst();
}
