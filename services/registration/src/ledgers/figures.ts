import { sql } from 'kysely';
import type { PeriodBounds } from '../assessment/period.ts';
import { underRegions } from '../assessment/figures.ts';
import { older4050Sql } from '../hardship/age-sql.ts';
import { reemployedPersons } from '../assessment/reemployed.ts';
import type { Db } from '../assessment/tables.ts';

export interface MonthlyActivityRow {
  community_code: string;
  reemployed_month: string;
  reemployed_year: string;
  reemployed4050_year: string;
}

/** Persons re-employed this month and this year, per community (each person once in each). */
export async function reemploymentCounts(db: Db, prefixes: string[], b: PeriodBounds): Promise<MonthlyActivityRow[]> {
  const { rows } = await sql<MonthlyActivityRow>`
    select s.community_code,
      count(*) filter (where s.id in (${reemployedPersons(b.monthStart, b.end)})) as reemployed_month,
      count(*) as reemployed_year,
      count(*) filter (where ${older4050Sql('s', b.lastDay)}) as reemployed4050_year
    from job_seekers s
    where s.id in (${reemployedPersons(b.yearStart, b.end)})
      and ${underRegions('s.community_code', prefixes)}
    group by s.community_code`.execute(db);
  return rows;
}

export interface ServiceCountRow {
  community_code: string;
  kind: string;
  n: string;
}

/** Coordinators' visits, collections, entries and guidance in the month (times, not people). */
export async function serviceCounts(db: Db, prefixes: string[], b: PeriodBounds): Promise<ServiceCountRow[]> {
  const { rows } = await sql<ServiceCountRow>`
    select community_code, kind, count(*) as n from service_records
    where kind in ('visit', 'info-collection', 'network-entry', 'guidance')
      and at >= ${b.monthStart}::timestamptz and at < ${b.end}::timestamptz
      and ${underRegions('community_code', prefixes)}
    group by community_code, kind`.execute(db);
  return rows;
}

/** What other services reported through events, summed per community and kind between two instants. */
export async function activityCounts(db: Db, prefixes: string[], from: string, to: string): Promise<ServiceCountRow[]> {
  const { rows } = await sql<ServiceCountRow>`
    select community_code, kind, sum(quantity) as n from assessment_activity
    where occurred_at >= ${from}::timestamptz and occurred_at < ${to}::timestamptz
      and ${underRegions('community_code', prefixes)}
      -- 援助基地安置: the hires into posts an assistance base reserved, not every hire.
      and (kind <> 'placements' or aid_base_id is not null)
    group by community_code, kind`.execute(db);
  return rows;
}
