import type pg from 'pg';
import { EDUCATION_LEVELS } from '@reemploy/domain';
import { defaultMatchingConfig, NEUTRAL, OCCUPATION_CREDIT, PRIORITY_CREDIT, PROXIMITY_CREDIT, RELATED_SKILL_CREDIT } from '@reemploy/matching-engine';
import { activeSeekerSql, SEEKER_COLUMNS, toSeekerInput, VACANCY_INPUT_SQL, type SeekerFields } from '../src/matcher/inputs.ts';

/**
 * What an integrator would otherwise write: the open vacancies in one table
 * with GIN and btree indexes, and one ranking query per seeker applying the
 * same hard constraints and the same six factors and weights.
 */
export async function prepareBaseline(pool: pg.Pool): Promise<number> {
  const started = Date.now();
  await pool.query('drop table if exists baseline_vacancies');
  await pool.query(`create table baseline_vacancies as
    select x.*, array_position($1::text[], x.education_min) as edu_rank, left(x.occupation_code, 4) as grp, left(x.occupation_code, 1) as major,
           array(select left(k, 4) from unnest(x.skills) k) as families, left(x.community_code, 9) as street, left(x.community_code, 6) as district
    from (${VACANCY_INPUT_SQL}) x`, [EDUCATION_LEVELS]);
  await pool.query('create index on baseline_vacancies using gin (skills)');
  await pool.query('create index on baseline_vacancies using gin (families)');
  await pool.query('create index on baseline_vacancies (grp)');
  await pool.query('create index on baseline_vacancies (street)');
  await pool.query('create index on baseline_vacancies (min_age, max_age)');
  await pool.query('analyze baseline_vacancies');
  return Date.now() - started;
}

const w = defaultMatchingConfig.weights;
const sum = Object.values(w).reduce((a, b) => a + b, 0);

const RANKING_SQL = `
  select vacancy_id, score from (
    select v.vacancy_id,
      (${w.skills / sum} * case when cardinality(v.skills) = 0 then ${NEUTRAL} else
          ((select count(*) from unnest(v.skills) k where k = any($4::text[]))
           + ${RELATED_SKILL_CREDIT} * (select count(*) from unnest(v.skills) k where not k = any($4::text[]) and left(k, 4) = any($5::text[])))::float8 / cardinality(v.skills) end
     + ${w.occupation / sum} * case when cardinality($6::text[]) = 0 then ${NEUTRAL} when v.occupation_code = any($6::text[]) then ${OCCUPATION_CREDIT.exact}
          when v.grp = any($7::text[]) then ${OCCUPATION_CREDIT.group} when v.major = any($8::text[]) then ${OCCUPATION_CREDIT.major} else 0 end
     + ${w.age / sum} * case when least($1 - v.min_age, v.max_age - $1) >= 2 then 1 when least($1 - v.min_age, v.max_age - $1) = 1 then 0.9 else 0.8 end
     + ${w.wage / sum} * case when $9::int is null then ${NEUTRAL} when $9 <= v.wage_max then 1 else greatest(0, 1 - 2.0 * ($9 - v.wage_max) / $9) end
     + ${w.proximity / sum} * case when v.community_code = $10 then ${PROXIMITY_CREDIT[0]} when v.street = left($10, 9) then ${PROXIMITY_CREDIT[1]}
          when v.district = left($10, 6) then ${PROXIMITY_CREDIT[2]} when left(v.community_code, 4) = left($10, 4) then ${PROXIMITY_CREDIT[3]} else 0 end
     + ${w.priority / sum} * case when cardinality($3::text[]) = 0 then 0 when cardinality(v.reserved_for) > 0 or v.aid_base then ${PRIORITY_CREDIT.reserved}
          when v.kind = 'public-welfare' then ${PRIORITY_CREDIT.publicWelfare} else ${PRIORITY_CREDIT.hardship} end) as score
    from baseline_vacancies v
    where v.headcount_left > 0 and $1 between v.min_age and v.max_age and v.edu_rank <= $2
      and (case when cardinality(v.reserved_for) > 0 then v.reserved_for && $3::text[] when v.aid_base then cardinality($3::text[]) > 0 else true end)
      and (v.skills && $4::text[] or v.families && $5::text[] or v.grp = any($7::text[]) or v.street = left($10, 9))
  ) ranked order by score desc, vacancy_id limit $11`;

/** Runs the per-seeker query for a sample on `connections` connections; returns the wall time. */
export async function runBaseline(pool: pg.Pool, sampleSize: number, topK: number, connections = 2): Promise<{ sample: number; ms: number; rowsReturned: number }> {
  const { rows } = await pool.query<SeekerFields>(`select ${SEEKER_COLUMNS} from seekers where ${activeSeekerSql()} order by md5(seeker_id::text) limit $1`, [sampleSize]);
  const seekers = rows.map((r) => toSeekerInput(r));
  let next = 0;
  let returned = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = await pool.connect();
      try {
        for (let i = next++; i < seekers.length; i = next++) {
          const s = seekers[i]!;
          const res = await client.query({
            name: 'baseline',
            text: RANKING_SQL,
            values: [s.age, EDUCATION_LEVELS.indexOf(s.education) + 1, s.hardshipCategories, s.skills, s.skills.map((k) => k.slice(0, 4)), s.desiredOccupations,
              s.desiredOccupations.map((o) => o.slice(0, 4)), s.desiredOccupations.map((o) => o.slice(0, 1)), s.expectedMonthlyWage, s.communityCode, topK],
          });
          returned += res.rowCount ?? 0;
        }
      } finally {
        client.release();
      }
    }),
  );
  return { sample: seekers.length, ms: Date.now() - started, rowsReturned: returned };
}
