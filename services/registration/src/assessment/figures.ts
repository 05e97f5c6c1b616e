import { sql } from 'kysely';
import { emptyFigures, type CommunityFigures } from '@reemploy/assessment';
import { older4050Sql, workingAgeSql } from '../hardship/age-sql.ts';
import type { Db } from './tables.ts';
import type { PeriodBounds } from './period.ts';
import { reemployedPersons } from './reemployed.ts';

/**
 * Rows whose community code lies under the prefixes; whole community codes compare by equality,
 * which the planner can hash (a long list of LIKE patterns is checked row by row).
 */
export function underRegions(column: string, prefixes: string[]) {
  const ref = sql.ref(column);
  if (prefixes.every((p) => p.length === 12)) return sql`${ref} = any (${prefixes}::text[])`;
  return sql`${ref} like any (${prefixes.map((p) => `${p}%`)}::text[])`;
}

const EMPLOYED = sql`array['employed','flexible']::text[]`;
const DUAL = sql`array['DUAL_UNEMPLOYED','DUAL_LAID_OFF','SINGLE_PARENT']::text[]`;
const ZERO = sql`array['ZERO_EMPLOYMENT_HOUSEHOLD']::text[]`;

/**
 * Each seeker under the prefixes with their status at the year's start and the period's end, read back
 * from the employment history (the status before the first change is that change's previous status),
 * and whether they were registered unemployed at any moment of the period. Withdrawn by the end: left out.
 * Ages are taken on the period's last day: the re-employment rates count people able and willing to
 * work and of working age then (a person past the retirement date has left the labour force).
 */
function seekerTimeline(prefixes: string[], b: PeriodBounds) {
  return sql`
    with base as (
      select s.id, s.community_code, s.household_id, s.status,
        s.able_to_work and s.willing_to_work and ${workingAgeSql('s', b.lastDay)} as able_and_willing,
        ${older4050Sql('s', b.lastDay)} as is4050,
        s.created_at
      from job_seekers s
      where ${underRegions('s.community_code', prefixes)} and s.created_at < ${b.end}::timestamptz
    ), history as (
      select ec.seeker_id,
        (array_agg(ec.previous_status order by ec.at, ec.created_at))[1] as initial_status,
        (array_agg(ec.status order by ec.at desc, ec.created_at desc) filter (where ec.at <= ${b.yearStart}::timestamptz))[1] as at_start,
        (array_agg(ec.status order by ec.at desc, ec.created_at desc) filter (where ec.at < ${b.end}::timestamptz))[1] as at_end,
        bool_or(ec.status = 'unemployed' and ec.at > ${b.yearStart}::timestamptz and ec.at < ${b.end}::timestamptz) as became_unemployed
      from employment_changes ec join base on base.id = ec.seeker_id
      group by ec.seeker_id
    ), timeline as (
      select base.id, base.community_code, base.household_id, base.able_and_willing, base.is4050, base.created_at,
        coalesce(h.initial_status, base.status) as initial_status,
        case when base.created_at <= ${b.yearStart}::timestamptz then coalesce(h.at_start, h.initial_status, base.status) end as status_at_start,
        coalesce(h.at_end, h.initial_status, base.status) as status_at_end,
        coalesce(h.became_unemployed, false) as became_unemployed
      from base left join history h on h.seeker_id = base.id
    )
    select timeline.*,
      (status_at_end <> 'withdrawn' and (status_at_start = 'unemployed' or became_unemployed
        or (created_at > ${b.yearStart}::timestamptz and initial_status = 'unemployed'))) as registered
    from timeline`;
}

interface SeekerFigureRow {
  community_code: string;
  able_and_willing: string;
  reemployed: string;
  able_and_willing4050: string;
  reemployed4050: string;
  registered: string;
  unemployed_at_end: string;
  visited: string;
  info_collected: string;
  network_entered: string;
  guided: string;
}

/**
 * The people side of the standard, per community. A person's service records count wherever they
 * were made: someone who moved community brings the year's visits along.
 */
async function seekerFigures(db: Db, prefixes: string[], b: PeriodBounds): Promise<SeekerFigureRow[]> {
  const { rows } = await sql<SeekerFigureRow>`
    with t as (${seekerTimeline(prefixes, b)})
    select t.community_code,
      count(*) filter (where registered and able_and_willing) as able_and_willing,
      count(*) filter (where registered and able_and_willing and status_at_end = any(${EMPLOYED})) as reemployed,
      count(*) filter (where registered and able_and_willing and is4050) as able_and_willing4050,
      count(*) filter (where registered and able_and_willing and is4050 and status_at_end = any(${EMPLOYED})) as reemployed4050,
      count(*) filter (where registered) as registered,
      count(*) filter (where status_at_end = 'unemployed') as unemployed_at_end,
      count(*) filter (where registered and sr.visited) as visited,
      -- The year's collection and entry (what a yearly re-collection asks): the registration itself, or a record.
      count(*) filter (where registered and (sr.info_collected or created_at >= ${b.yearStart}::timestamptz)) as info_collected,
      count(*) filter (where registered and (sr.network_entered or created_at >= ${b.yearStart}::timestamptz)) as network_entered,
      count(*) filter (where registered and sr.guided) as guided
    from t
    left join (
      select seeker_id, bool_or(kind = 'visit') as visited, bool_or(kind = 'info-collection') as info_collected,
        bool_or(kind = 'network-entry') as network_entered, bool_or(kind = 'guidance') as guided
      from service_records
      where at >= ${b.yearStart}::timestamptz and at < ${b.end}::timestamptz
        and seeker_id in (select id from t)
      group by seeker_id
    ) sr on sr.seeker_id = t.id
    group by t.community_code`.execute(db);
  return rows;
}

interface HouseholdFigureRow {
  community_code: string;
  dual: string;
  dual_covered: string;
  zero: string;
  zero_left: string;
}

/**
 * The members each household's DUAL_UNEMPLOYED, DUAL_LAID_OFF or SINGLE_PARENT rested on at any moment
 * of the period (the couples, the single parents), from the category history: the entry in force at the
 * year's start and those written during the period. An entry written before the basis was kept rested
 * on the head and the spouse (a dual category) or the head (a single parent), as derived then.
 */
function dualBasis(prefixes: string[], b: PeriodBounds) {
  return sql`
    with in_force as (
      select x.household_id, x.hardship_categories, x.hardship_basis
      from household_category_history x join households h on h.id = x.household_id and ${underRegions('h.community_code', prefixes)}
      where x.changed_at < ${b.end}::timestamptz and x.hardship_categories && ${DUAL}
        and (x.changed_at > ${b.yearStart}::timestamptz or x.id = (
          select y.id from household_category_history y where y.household_id = x.household_id and y.changed_at <= ${b.yearStart}::timestamptz
          order by y.changed_at desc, y.id desc limit 1))
    )
    select f.household_id, (jsonb_array_elements_text(e->'memberIds'))::uuid as member_id
    from in_force f cross join jsonb_array_elements(f.hardship_basis) e
    where e->>'category' = any(${DUAL})
    union
    select f.household_id, s.id from in_force f join job_seekers s on s.household_id = f.household_id
    where f.hardship_basis is null
      and (s.relationship = 'head' or (s.relationship = 'spouse' and f.hardship_categories && array['DUAL_UNEMPLOYED','DUAL_LAID_OFF']::text[]))`;
}

/**
 * The household side: categories at the year's start and the period's end read back from the category
 * history; a household counts when it held a category at any moment of the period. A dual or
 * single-parent household is covered (双无: 每户至少一人的再就业) when one of the members its category
 * rests on is at work at the period's end or was re-employed during it; a working son does not cover
 * his unemployed parents.
 */
async function householdFigures(db: Db, prefixes: string[], b: PeriodBounds): Promise<HouseholdFigureRow[]> {
  const { rows } = await sql<HouseholdFigureRow>`
    with seekers_at_end as (${seekerTimeline(prefixes, b)}),
    rests_on as (${dualBasis(prefixes, b)}),
    reemployed as (${reemployedPersons(b.yearStart, b.end)}),
    hh as (
      select h.id, h.community_code, h.created_at,
        coalesce((select x.previous from household_category_history x where x.household_id = h.id order by x.changed_at, x.id limit 1), h.hardship_categories) as initial
      from households h
      where ${underRegions('h.community_code', prefixes)} and h.created_at < ${b.end}::timestamptz
    ), spans as (
      select hh.*,
        case when hh.created_at <= ${b.yearStart}::timestamptz then coalesce(
          (select x.hardship_categories from household_category_history x where x.household_id = hh.id and x.changed_at <= ${b.yearStart}::timestamptz order by x.changed_at desc, x.id desc limit 1),
          hh.initial) else case when hh.created_at < ${b.end}::timestamptz then hh.initial end end as at_start,
        coalesce(
          (select x.hardship_categories from household_category_history x where x.household_id = hh.id and x.changed_at < ${b.end}::timestamptz order by x.changed_at desc, x.id desc limit 1),
          hh.initial) as at_end,
        coalesce(array(select unnest(x.hardship_categories) from household_category_history x where x.household_id = hh.id
          and x.changed_at > ${b.yearStart}::timestamptz and x.changed_at < ${b.end}::timestamptz), '{}') as during,
        exists (select 1 from rests_on r where r.household_id = hh.id and (
          r.member_id in (select m.id from seekers_at_end m where m.status_at_end = any(${EMPLOYED}))
          or r.member_id in (select seeker_id from reemployed))) as covered
      from hh
    )
    select community_code,
      count(*) filter (where coalesce(at_start, '{}') && ${DUAL} or during && ${DUAL}) as dual,
      count(*) filter (where (coalesce(at_start, '{}') && ${DUAL} or during && ${DUAL}) and covered) as dual_covered,
      count(*) filter (where coalesce(at_start, '{}') && ${ZERO} or during && ${ZERO}) as zero,
      count(*) filter (where (coalesce(at_start, '{}') && ${ZERO} or during && ${ZERO}) and at_end && ${ZERO}) as zero_left
    from spans group by community_code`.execute(db);
  return rows;
}

export interface CommunityFigureSet {
  figures: CommunityFigures;
  /** Registered unemployed at the period's end (the ledger's stock). */
  unemployedAtEnd: number;
}

/** The standard's figures for every community under the prefixes that has people or households. */
export async function communityFigures(db: Db, prefixes: string[], b: PeriodBounds): Promise<Map<string, CommunityFigureSet>> {
  const result = new Map<string, CommunityFigureSet>();
  if (prefixes.length === 0) return result;
  const entry = (code: string) => {
    const found = result.get(code) ?? { figures: emptyFigures(), unemployedAtEnd: 0 };
    result.set(code, found);
    return found;
  };
  // One query at a time: a city-wide assessment must not take the whole connection pool.
  const seekers = await seekerFigures(db, prefixes, b);
  const households = await householdFigures(db, prefixes, b);
  for (const r of seekers) {
    const e = entry(r.community_code);
    Object.assign(e.figures, {
      ableAndWilling: Number(r.able_and_willing),
      reemployed: Number(r.reemployed),
      ableAndWilling4050: Number(r.able_and_willing4050),
      reemployed4050: Number(r.reemployed4050),
      registeredUnemployed: Number(r.registered),
      visited: Number(r.visited),
      infoCollected: Number(r.info_collected),
      networkEntered: Number(r.network_entered),
      guided: Number(r.guided),
    });
    e.unemployedAtEnd = Number(r.unemployed_at_end);
  }
  for (const r of households) {
    Object.assign(entry(r.community_code).figures, {
      dualHouseholds: Number(r.dual),
      dualHouseholdsCovered: Number(r.dual_covered),
      zeroEmploymentHouseholds: Number(r.zero),
      zeroEmploymentHouseholdsLeft: Number(r.zero_left),
    });
  }
  return result;
}
