import { allowLongStatements, transact } from '@reemploy/db';
import { sql } from 'kysely';
import { cityDate, cityDayStart } from '@reemploy/domain';
import { LONG_TERM_UNEMPLOYED_MONTHS } from '@reemploy/domain/hardship';
import { MINOR_AGE } from '@reemploy/domain/family';
import type { RegistrationContext } from '../context.ts';
import { older4050Sql, workingAgeSql } from '../hardship/age-sql.ts';
import { rederiveHousehold, rederiveSolo } from '../hardship/rederive.ts';

export const DAILY_HARDSHIP_JOB = 'hardship-daily';

/**
 * The categories that change with the calendar alone: LONG_TERM_UNEMPLOYED
 * (twelve months unemployed), OLDER_4050 (a birthday starts it, the retirement
 * date ends it), ZERO_EMPLOYMENT_HOUSEHOLD, which ends when the last member
 * able and willing to work reaches the retirement date (a member is at least 16
 * when registered, so the calendar never starts it), and SINGLE_PARENT, which a
 * registered child's 18th birthday may end. `day` is a date of the city's
 * calendar. Runs once per day: the guard row commits with the changes, so a
 * crash leaves the day to run again and a second delivery of the same day
 * changes nothing.
 */
export async function rederiveDailyHardship(ctx: RegistrationContext, day: string): Promise<{ ran: boolean; changed: number }> {
  // Today's run derives as of now (the category history stays in the order things happened); another day's, as of its first instant.
  const at = day === cityDate() ? new Date() : cityDayStart(day);
  return transact(ctx.db, async (trx) => {
    // A batch step: one pass over every seeker and household.
    await allowLongStatements(trx, ctx.env.DB_BATCH_STATEMENT_TIMEOUT_MS);
    const claimed = await trx
      .insertInto('maintenance_runs')
      .values({ job: DAILY_HARDSHIP_JOB, day })
      .onConflict((oc) => oc.columns(['job', 'day']).doNothing())
      .returning('job')
      .executeTakeFirst();
    if (!claimed) return { ran: false, changed: 0 };
    const stale = await trx
      .selectFrom('job_seekers')
      .select(['id', 'household_id'])
      .where(
        sql<boolean>`(status = 'unemployed' and unemployed_since is not null
            and unemployed_since + make_interval(months => ${LONG_TERM_UNEMPLOYED_MONTHS}) <= ${day}::date)
          is distinct from ('LONG_TERM_UNEMPLOYED' = any(hardship_categories))`,
      )
      .unionAll(
        trx
          .selectFrom('job_seekers as s')
          .select(['s.id', 's.household_id'])
          .where(sql<boolean>`${older4050Sql('s', day)} is distinct from ('OLDER_4050' = any(s.hardship_categories))`),
      )
      .execute();
    const retired = await trx
      .selectFrom('households as h')
      .select('h.id')
      .where(sql<boolean>`'ZERO_EMPLOYMENT_HOUSEHOLD' = any(h.hardship_categories)`)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('job_seekers as m')
              .select('m.id')
              .whereRef('m.household_id', '=', 'h.id')
              .where('m.status', '<>', 'withdrawn')
              .where('m.able_to_work', '=', true)
              .where('m.willing_to_work', '=', true)
              .where(workingAgeSql('m', day)),
          ),
        ),
      )
      .execute();
    // A registered child naming parents turns 18: a single parent's child is no longer a minor.
    const grownUp = await trx
      .selectFrom('job_seekers as c')
      .innerJoin('households as h', 'h.id', 'c.household_id')
      .select('h.id')
      .where(sql<boolean>`'SINGLE_PARENT' = any(h.hardship_categories) and cardinality(c.parent_ids) > 0 and c.birth_date <= (${day}::date - make_interval(years => ${MINOR_AGE}::int))`)
      .execute();
    const households = [...new Set([...stale.map((s) => s.household_id), ...retired.map((h) => h.id), ...grownUp.map((h) => h.id)].filter((h): h is string => !!h))].sort();
    const solo = [...new Set(stale.filter((s) => !s.household_id).map((s) => s.id))];
    for (const id of households) await rederiveHousehold(trx, id, { at, offerHours: ctx.env.ZERO_EMPLOYMENT_OFFER_HOURS });
    for (const id of solo) await rederiveSolo(trx, id, undefined, at);
    const changed = households.length + solo.length;
    await trx.updateTable('maintenance_runs').set({ changed }).where('job', '=', DAILY_HARDSHIP_JOB).where('day', '=', day).execute();
    return { ran: true, changed };
  });
}
