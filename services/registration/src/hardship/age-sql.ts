import { sql, type RawBuilder } from 'kysely';
import { RETIREMENT_SCHEDULE, RETIREMENT_SCHEMES } from '@reemploy/domain';

/**
 * The age rules of @reemploy/domain (age.ts, retirement.ts) as SQL over a
 * job_seekers row, for the queries that count or select people by them (the
 * daily re-derivation, the assessment, the ledger). Built from the same
 * versioned schedule; test/age-sql.test.ts checks that both agree.
 */

/**
 * The retirement date: the birth date plus the original age and the delay, one month per step of
 * birth months from the first delayed one, up to the maximum. Postgres adds months as the domain
 * does: the same day of the month, or the month's last day.
 */
export function retirementDateSql(alias: string): RawBuilder<string> {
  const birth = sql.ref(`${alias}.birth_date`);
  const cases = RETIREMENT_SCHEMES.map((scheme) => {
    const r = RETIREMENT_SCHEDULE.schemes[scheme];
    const [year, month] = r.firstDelayedBirthMonth.split('-').map(Number) as [number, number];
    const since = sql`((extract(year from ${birth})::int - ${sql.lit(year)}) * 12 + extract(month from ${birth})::int - ${sql.lit(month)})`;
    const delay = sql`least(${sql.lit(r.maxDelayMonths)}, greatest(0, floor(${since} / ${sql.lit(r.birthMonthsPerMonth)}::numeric) + 1))::int`;
    return sql`when ${sql.lit(scheme)} then (${birth} + make_interval(months => ${sql.lit(r.originalAge * 12)} + ${delay}))::date`;
  });
  return sql<string>`(case ${sql.ref(`${alias}.retirement_scheme`)} ${sql.join(cases, sql` `)} end)`;
}

/** Of working age on a calendar date: before the retirement date (nobody under 16 is registered). */
export function workingAgeSql(alias: string, date: string): RawBuilder<boolean> {
  return sql<boolean>`(${date}::date < ${retirementDateSql(alias)})`;
}

/** In the 4050 group on a calendar date: a woman from 40, a man from 50, until the retirement date. */
export function older4050Sql(alias: string, date: string): RawBuilder<boolean> {
  const birth = sql.ref(`${alias}.birth_date`);
  return sql<boolean>`(${birth} <= ${date}::date - case ${sql.ref(`${alias}.gender`)} when 'female' then interval '40 years' else interval '50 years' end
    and ${workingAgeSql(alias, date)})`;
}
