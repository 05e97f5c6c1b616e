import t from 'tap';
import { sql } from 'kysely';
import { addMonths, isCalendarDate, isOlder4050, isWorkingAge, retirementDate, RETIREMENT_SCHEMES, type RetirementScheme } from '@reemploy/domain';
import { older4050Sql, retirementDateSql, workingAgeSql } from '../../src/hardship/age-sql.ts';
import { build } from '../helper.ts';

/** Birth dates on the first, the 15th and the last days of every month from 1960 to 1996 (the reform's span and beyond). */
function births(): string[] {
  const out: string[] = [];
  for (let y = 1960; y <= 1996; y++) {
    for (let m = 1; m <= 12; m++) {
      for (const d of [1, 15, 28, 29, 30, 31]) if (isCalendarDate(y, m, d)) out.push(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    }
  }
  return out;
}

const people = RETIREMENT_SCHEMES.flatMap((scheme) =>
  births().map((birthDate) => ({ birthDate, scheme, gender: scheme === 'male-60' ? ('male' as const) : ('female' as const) })),
);

t.test("the SQL age rules agree with the domain's, day for day", async (t) => {
  const svc = await build(t);
  const table = sql`unnest(${people.map((p) => p.birthDate)}::date[], ${people.map((p) => p.scheme)}::text[], ${people.map((p) => p.gender)}::text[])
    as p(birth_date, retirement_scheme, gender)`;
  const { rows } = await sql<{ birth: string; scheme: RetirementScheme; date: string }>`
    select p.birth_date::text as birth, p.retirement_scheme as scheme, ${retirementDateSql('p')}::text as date from ${table}`.execute(svc.ctx.db);
  t.equal(rows.length, people.length);
  t.same(rows.filter((r) => r.date !== retirementDate(r.scheme, r.birth)), [], `the same retirement date for all ${rows.length}`);

  // Days on which some of them reach 40, 50 or their retirement date, the day before and the leap day.
  for (const day of ['2024-12-31', '2025-01-01', '2025-02-14', '2025-02-15', '2028-02-29', '2030-06-30', '2032-03-01', '2039-08-31', '2039-09-01', '2046-12-31']) {
    const retiringThatDay = people.filter((p) => retirementDate(p.scheme, p.birthDate) === day).length;
    const turning = people.filter((p) => p.birthDate === addMonths(day, -12 * (p.gender === 'female' ? 40 : 50))).length;
    const { rows: flags } = await sql<{ birth: string; scheme: RetirementScheme; gender: 'male' | 'female'; working: boolean; older: boolean }>`
      select p.birth_date::text as birth, p.retirement_scheme as scheme, p.gender, ${workingAgeSql('p', day)} as working, ${older4050Sql('p', day)} as older
      from ${table}`.execute(svc.ctx.db);
    const differ = flags.filter((f) => {
      const person = { gender: f.gender, birthDate: f.birth, retirementScheme: f.scheme };
      return f.working !== isWorkingAge(person, day) || f.older !== isOlder4050(person, day);
    });
    t.same(differ, [], `${day}: the same working age and 4050 for all (${retiringThatDay} retiring, ${turning} turning 40 or 50 that day)`);
  }
});
