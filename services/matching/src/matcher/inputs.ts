import type pg from 'pg';
import { copyOutText, parseTextArray } from '@reemploy/db';
import { ageAt, cityDate, type EducationLevel, type Gender, type HardshipCategory, type VacancyKind } from '@reemploy/domain';
import type { MatchingConfig, SeekerInput, VacancyInput } from '@reemploy/matching-engine';
import type { MatchingEnv } from '../config.ts';
import { codeRange, type PartitionBounds } from '../runs/partitions.ts';

/**
 * Only these seekers are ranked: registered unemployed, able and willing to work, and of working
 * age on the city's date `today` (before their retirement date: a vacancy is for the labour force,
 * and past that date a labour contract ends). Inlined, checked: COPY takes no parameters.
 */
export function activeSeekerSql(today: string = cityDate()): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`not a date: ${today}`);
  return `status = 'unemployed' and able_to_work and willing_to_work and (retirement_date is null or retirement_date > '${today}')`;
}
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

/** The columns isActiveSeeker reads. */
export const ACTIVITY_COLUMNS = 'status, able_to_work, willing_to_work, retirement_date';
export type ActivityFields = { status: string; able_to_work: boolean; willing_to_work: boolean; retirement_date: string | null };

export function isActiveSeeker(row: ActivityFields, today: string = cityDate()): boolean {
  return row.status === 'unemployed' && row.able_to_work && row.willing_to_work && (row.retirement_date === null || row.retirement_date > today);
}

/** Why isActiveSeeker said no, for an answer: never the date itself, which gives away the birth date. */
export function inactivity(row: ActivityFields): string {
  if (row.status !== 'unemployed') return `status ${row.status}`;
  if (!row.able_to_work || !row.willing_to_work) return 'not able or not willing to work';
  return 'past the statutory retirement date';
}

/** The engine's view of a seeker on a city calendar date (today by default). */
export function toSeekerInput(row: SeekerFields, today: string = cityDate()): SeekerInput {
  return {
    id: row.seeker_id,
    age: ageAt(row.birth_date, today),
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

/** Every open vacancy (or the one `vacancyId` names), in id order; with the stable number each has in the projection. */
export async function loadNumberedVacancies(pool: pg.Pool, vacancyId?: string) {
  const { rows } = await pool.query<VacancyInputRow>(`${VACANCY_INPUT_SQL} and ($1::uuid is null or v.vacancy_id = $1::uuid) order by v.vacancy_id`, [vacancyId ?? null]);
  return rows.map((r) => ({ no: r.vacancy_no, input: toVacancyInput(r) }));
}

export async function loadVacancyInputs(pool: pg.Pool, vacancyId?: string): Promise<VacancyInput[]> {
  return (await loadNumberedVacancies(pool, vacancyId)).map((v) => v.input);
}

export async function loadVacancyInput(pool: pg.Pool, vacancyId: string): Promise<VacancyInput | undefined> {
  return (await loadVacancyInputs(pool, vacancyId))[0];
}

/** A uuid as text: checked before one is inlined into SQL (COPY takes no parameters) or sent with others in one query. */
export const isUuid = (value: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

const cell = (row: (string | null)[], i: number): string => {
  const v = row[i];
  if (v === null || v === undefined) throw new Error(`unexpected NULL in column ${i + 1}`);
  return v;
};

/**
 * The batch's read (a batch step: `statementTimeoutMs`) of the active seekers whose community code starts with `prefix`
 * and lies in [from, below), neighbours together, through COPY (a fifth of the CPU of
 * a query's result at city scale). COPY takes no parameters: the bounds are digits
 * only, checked here, and inlined.
 */
export async function copyActiveSeekers(pool: pg.Pool, b: PartitionBounds, statementTimeoutMs: number): Promise<SeekerFields[]> {
  for (const v of [b.prefix, b.from ?? '', b.below ?? '']) if (!/^\d*$/.test(v)) throw new Error(`a region bound must be digits: ${v}`);
  // Both ends of the range, always: the community index then reads this partition only.
  const { lo, hi } = codeRange(b);
  const rows = await copyOutText(
    pool,
    `select seeker_id, community_code, gender, to_char(birth_date, 'YYYY-MM-DD'), education, skills, desired_occupations, expected_monthly_wage, hardship_categories
       from seekers where ${activeSeekerSql()} and community_code like '${b.prefix}%' and community_code >= '${lo}' ${hi === null ? '' : `and community_code < '${hi}'`}
     order by community_code, seeker_id`,
    statementTimeoutMs,
  );
  return rows.map((r) => {
    const wage = r[7];
    return {
      seeker_id: cell(r, 0), community_code: cell(r, 1), gender: cell(r, 2), birth_date: cell(r, 3), education: cell(r, 4),
      skills: parseTextArray(cell(r, 5)), desired_occupations: parseTextArray(cell(r, 6)),
      expected_monthly_wage: wage === null || wage === undefined ? null : Number(wage), hardship_categories: parseTextArray(cell(r, 8)),
    };
  });
}

/** `loadNumberedVacancies` for the batch (a batch step: `statementTimeoutMs`), through COPY: every open vacancy in id order with its stable number. */
export async function copyNumberedVacancies(pool: pg.Pool, statementTimeoutMs: number): Promise<{ no: number; input: VacancyInput }[]> {
  const rows = await copyOutText(pool, `${VACANCY_INPUT_SQL} order by v.vacancy_id`, statementTimeoutMs);
  return rows.map((r) => ({
    no: Number(cell(r, 1)),
    input: toVacancyInput({
      vacancy_id: cell(r, 0), vacancy_no: Number(cell(r, 1)), occupation_code: cell(r, 2), skills: parseTextArray(cell(r, 3)), min_age: Number(cell(r, 4)),
      max_age: Number(cell(r, 5)), education_min: cell(r, 6), wage_min: Number(cell(r, 7)), wage_max: Number(cell(r, 8)), headcount_left: Number(cell(r, 9)),
      community_code: cell(r, 10), kind: cell(r, 11), aid_base: cell(r, 12) === 't', reserved_for: parseTextArray(cell(r, 13)),
    }),
  }));
}

/** The engine's configuration, from the environment. */
export function engineConfig(env: MatchingEnv): Partial<MatchingConfig> {
  return {
    topK: env.MATCHING_TOP_K,
    capacityFactor: env.MATCHING_CAPACITY_FACTOR,
    ...(env.MATCHING_WEIGHTS ? { weights: env.MATCHING_WEIGHTS as MatchingConfig['weights'] } : {}),
  };
}
