import { sql } from 'kysely';
import { CITY_TIME_ZONE } from '@reemploy/domain';
import { underRegions } from '../assessment/figures.ts';
import { REEMPLOYMENT, reemployedPersons } from '../assessment/reemployed.ts';
import type { Db } from '../assessment/tables.ts';

/** Persons re-employed in [from, to) per district, each once: the year's figure, not a sum of months. */
export async function reemployedByDistrict(db: Db, prefixes: string[], from: string, to: string): Promise<{ district: string; n: number }[]> {
  const { rows } = await sql<{ district: string; n: string }>`
    select left(s.community_code, 6) as district, count(*) as n
    from job_seekers s
    where s.id in (${reemployedPersons(from, to)})
      and ${underRegions('s.community_code', prefixes)}
    group by 1 order by 1`.execute(db);
  return rows.map((r) => ({ district: r.district, n: Number(r.n) }));
}

/** Persons re-employed in each month (Asia/Shanghai) between two instants: each person once a month. */
export async function reemployedByMonth(db: Db, prefixes: string[], from: string, to: string): Promise<{ month: string; n: number }[]> {
  const { rows } = await sql<{ month: string; n: string }>`
    select to_char(ec.at at time zone ${CITY_TIME_ZONE}, 'YYYY-MM') as month, count(distinct s.id) as n
    from employment_changes ec join job_seekers s on s.id = ec.seeker_id
    where ${REEMPLOYMENT}
      and ec.at >= ${from}::timestamptz and ec.at < ${to}::timestamptz
      and ${underRegions('s.community_code', prefixes)}
    group by 1 order by 1`.execute(db);
  return rows.map((r) => ({ month: r.month, n: Number(r.n) }));
}

/** Activity reported by other services between two instants, per district and kind. */
export async function activityByDistrict(db: Db, prefixes: string[], from: string, to: string): Promise<{ district: string; kind: string; n: number }[]> {
  const { rows } = await sql<{ district: string; kind: string; n: string }>`
    select left(community_code, 6) as district, kind, sum(quantity) as n from assessment_activity
    where occurred_at >= ${from}::timestamptz and occurred_at < ${to}::timestamptz
      and ${underRegions('community_code', prefixes)}
    group by 1, 2 order by 1, 2`.execute(db);
  return rows.map((r) => ({ district: r.district, kind: r.kind, n: Number(r.n) }));
}

/** Placements reported with an assistance base, per base; `onlyBase` for a base's own staff, who see no other base. */
export async function placementsByAidBase(db: Db, prefixes: string[], from: string, to: string, onlyBase?: string): Promise<{ aidBaseId: string; placements: number }[]> {
  const { rows } = await sql<{ aid_base_id: string; n: string }>`
    select aid_base_id, sum(quantity) as n from assessment_activity
    where kind = 'placements' and aid_base_id is not null and (${onlyBase ?? null}::uuid is null or aid_base_id = ${onlyBase ?? null}::uuid)
      and occurred_at >= ${from}::timestamptz and occurred_at < ${to}::timestamptz
      and ${underRegions('community_code', prefixes)}
    group by 1 order by 2 desc, 1`.execute(db);
  return rows.map((r) => ({ aidBaseId: r.aid_base_id, placements: Number(r.n) }));
}

/** Zero-employment households now, and those past their offer deadline without an offer. */
export async function zeroEmploymentNow(db: Db, prefixes: string[], now: Date): Promise<{ district: string; left: number; overdue: number }[]> {
  const { rows } = await sql<{ district: string; left: string; overdue: string }>`
    select left(community_code, 6) as district, count(*) as left,
      count(*) filter (where offer_deadline < ${now} and offered_at is null) as overdue
    from households
    where hardship_categories @> array['ZERO_EMPLOYMENT_HOUSEHOLD']::text[]
      and ${underRegions('community_code', prefixes)}
    group by 1 order by 1`.execute(db);
  return rows.map((r) => ({ district: r.district, left: Number(r.left), overdue: Number(r.overdue) }));
}
