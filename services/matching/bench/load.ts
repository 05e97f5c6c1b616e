import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { allowLongStatements, copyRows, inClientTransaction } from '@reemploy/db';
import { createDemoCity } from '@reemploy/demo-city';
import { arrayCell } from '../src/runs/packing.ts';

export interface CityOptions {
  seekers: number;
  vacancies: number;
  seed?: string;
}

const aidBaseId = (index: number) => `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;

/**
 * Loads a demo city straight into matching's projection with COPY, as if
 * every registration, vacancy and reserved-post event had been consumed.
 */
export async function loadCity(pool: pg.Pool, options: CityOptions): Promise<{ seekers: number; vacancies: number; reservedPosts: number; ms: number }> {
  const started = Date.now();
  const city = createDemoCity({ seekers: options.seekers, vacancies: options.vacancies, seed: options.seed ?? 'bench', at: new Date() });
  let seq = 0;
  let posts = 0;
  await inClientTransaction(pool, async (client) => {
    // A whole city in three statements: without the pool's statement timeout.
    await allowLongStatements(client, 0);
    await copyRows(
      client,
      'seekers',
      ['seeker_id', 'household_id', 'community_code', 'gender', 'birth_date', 'education', 'skills', 'desired_occupations', 'expected_monthly_wage', 'able_to_work', 'willing_to_work', 'status', 'hardship_categories', 'source_seq', 'categories_seq'],
      (function* () {
        for (const s of city.seekers()) {
          const r = s.registration;
          seq++;
          yield [s.key, s.householdKey, r.communityCode, s.gender, s.birthDate, r.education, arrayCell(r.skills), arrayCell(r.desiredOccupations), r.expectedMonthlyWage ?? null, r.ableToWork, r.willingToWork, 'unemployed', arrayCell(s.engine.hardshipCategories), seq, seq];
        }
      })(),
    );
    const reserved: unknown[][] = [];
    await copyRows(
      client,
      'vacancies',
      ['vacancy_id', 'employer_id', 'title', 'occupation_code', 'skills', 'min_age', 'max_age', 'education_min', 'wage_min', 'wage_max', 'headcount', 'headcount_left', 'community_code', 'kind', 'source', 'reserved_for', 'status', 'valid_until', 'source_seq'],
      (function* () {
        for (const v of city.vacancies()) {
          const r = v.registration;
          seq++;
          if (v.aidBaseIndex !== null) reserved.push([randomUUID(), aidBaseId(v.aidBaseIndex), v.key, arrayCell(r.reservedFor), r.headcount, 0, 'active', seq]);
          yield [v.key, r.employerId, r.title, r.occupationCode, arrayCell(r.skills), r.minAge, r.maxAge, r.educationMin, r.wageMin, r.wageMax, r.headcount, v.engine.headcountLeft, r.communityCode, r.kind, r.source, arrayCell(r.reservedFor), 'open', r.validUntil, seq];
        }
      })(),
    );
    await copyRows(client, 'reserved_posts', ['reserved_post_id', 'aid_base_id', 'vacancy_id', 'reserved_for', 'quota', 'filled', 'status', 'source_seq'], reserved);
    posts = reserved.length;
    await client.query('analyze seekers; analyze vacancies; analyze reserved_posts');
  });
  return { seekers: options.seekers, vacancies: options.vacancies, reservedPosts: posts, ms: Date.now() - started };
}
