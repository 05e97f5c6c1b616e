import type pg from 'pg';
import { ageAt, type EducationLevel, type Gender, type HardshipCategory, type VacancyKind } from '@reemploy/domain';
import type { MatchingConfig, SeekerInput, VacancyInput } from '@reemploy/matching-engine';
import type { MatchingEnv } from '../config.ts';

/** Only these seekers are ranked: registered unemployed, able and willing to work. */
export const ACTIVE_SEEKER_SQL = `status = 'unemployed' and able_to_work and willing_to_work`;
/** Only these vacancies are offered: open, with places left, not past their date. */
export const OPEN_VACANCY_SQL = `v.status = 'open' and v.headcount_left > 0 and v.valid_until > now()`;

export interface SeekerFields {
  seeker_id: string;
  community_code: string;
  gender: string;
  birth_date: string;
  education: string;
  skills: string[];
  desired_occupations: string[];
  expected_monthly_wage: number | null;
  hardship_categories: string[];
}

export const SEEKER_COLUMNS = 'seeker_id, community_code, gender, birth_date, education, skills, desired_occupations, expected_monthly_wage, hardship_categories';

export function isActiveSeeker(row: { status: string; able_to_work: boolean; willing_to_work: boolean }): boolean {
  return row.status === 'unemployed' && row.able_to_work && row.willing_to_work;
}

export function toSeekerInput(row: SeekerFields, at = new Date()): SeekerInput {
  return {
    id: row.seeker_id,
    age: ageAt(row.birth_date, at),
    gender: row.gender as Gender,
    education: row.education as EducationLevel,
    skills: row.skills,
    desiredOccupations: row.desired_occupations,
    expectedMonthlyWage: row.expected_monthly_wage,
    communityCode: row.community_code,
    hardshipCategories: row.hardship_categories as HardshipCategory[],
  };
}

/**
 * Open vacancies with the categories of their active reserved posts folded in:
 * a post an assistance base reserves is only for the groups it names.
 */
export const VACANCY_INPUT_SQL = `
  select v.vacancy_id, v.vacancy_no, v.occupation_code, v.skills, v.min_age, v.max_age, v.education_min, v.wage_min, v.wage_max,
         v.headcount_left, v.community_code, v.kind, coalesce(rp.aid_base, false) as aid_base,
         case when rp.aid_base is true then array(select distinct x from unnest(v.reserved_for || rp.cats) x order by x) else v.reserved_for end as reserved_for
  from vacancies v
  -- Grouped once and hash-joined (not a lateral probe per vacancy): half the time at 50,000 vacancies.
  left join (
    select r.vacancy_id, true as aid_base, coalesce(array_agg(c) filter (where c is not null), '{}') as cats
    from reserved_posts r left join lateral unnest(r.reserved_for) c on true
    where r.status = 'active' and r.filled < r.quota
    group by r.vacancy_id
  ) rp on rp.vacancy_id = v.vacancy_id
  where ${OPEN_VACANCY_SQL}`;

interface VacancyInputRow {
  vacancy_id: string;
  vacancy_no: number;
  occupation_code: string;
  skills: string[];
  min_age: number;
  max_age: number;
  education_min: string;
  wage_min: number;
  wage_max: number;
  headcount_left: number;
  community_code: string;
  kind: string;
  reserved_for: string[];
  aid_base: boolean;
}

export function toVacancyInput(r: VacancyInputRow): VacancyInput {
  return {
    id: r.vacancy_id,
    occupationCode: r.occupation_code,
    skills: r.skills,
    minAge: r.min_age,
    maxAge: r.max_age,
    educationMin: r.education_min as EducationLevel,
    wageMin: r.wage_min,
    wageMax: r.wage_max,
    headcountLeft: r.headcount_left,
    communityCode: r.community_code,
    kind: r.kind as VacancyKind,
    reservedFor: r.reserved_for as HardshipCategory[],
    aidBase: r.aid_base,
  };
}

/** Every open vacancy, in id order; with the stable number each has in the projection. */
export async function loadNumberedVacancies(pool: pg.Pool, extraWhere = '', params: unknown[] = []) {
  const { rows } = await pool.query<VacancyInputRow>(`${VACANCY_INPUT_SQL} ${extraWhere} order by v.vacancy_id`, params);
  return rows.map((r) => ({ no: r.vacancy_no, input: toVacancyInput(r) }));
}

export async function loadVacancyInputs(pool: pg.Pool, extraWhere = '', params: unknown[] = []): Promise<VacancyInput[]> {
  return (await loadNumberedVacancies(pool, extraWhere, params)).map((v) => v.input);
}

export async function loadVacancyInput(pool: pg.Pool, vacancyId: string): Promise<VacancyInput | undefined> {
  return (await loadVacancyInputs(pool, 'and v.vacancy_id = $1', [vacancyId]))[0];
}

/** The engine's configuration, from the environment. */
export function engineConfig(env: MatchingEnv): Partial<MatchingConfig> {
  return {
    topK: env.MATCHING_TOP_K,
    capacityFactor: env.MATCHING_CAPACITY_FACTOR,
    ...(env.MATCHING_WEIGHTS ? { weights: env.MATCHING_WEIGHTS as MatchingConfig['weights'] } : {}),
  };
}
