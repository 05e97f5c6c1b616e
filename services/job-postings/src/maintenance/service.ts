import { allowLongStatements, transact } from '@reemploy/db';
import { cityDate } from '@reemploy/domain';
import { sql } from 'kysely';
import type { JobPostingsContext } from '../context.ts';
import { publishVacancy } from '../vacancies/events.ts';

export const MAINTENANCE_JOB = 'vacancy-maintenance';

export interface MaintenanceResult {
  /** False when this day's run had already happened (another instance, a redelivered job). */
  ran: boolean;
  day: string;
  expired: number;
  unpublished: number;
}

/**
 * Once per day: expires open vacancies past validUntil and unpublishes those not refreshed for
 * VACANCY_STALE_DAYS, each with its vacancy.closed event. The day's guard row commits with the
 * changes, so a crashed run leaves nothing behind and a second run the same day does nothing.
 */
export async function runDailyMaintenance(ctx: JobPostingsContext, now = new Date()): Promise<MaintenanceResult> {
  const day = cityDate(now);
  const staleDays = ctx.env.VACANCY_STALE_DAYS;
  return transact(ctx.db, async (trx) => {
    // A batch step: one pass over every open vacancy.
    await allowLongStatements(trx, ctx.env.DB_BATCH_STATEMENT_TIMEOUT_MS);
    const claimed = await trx
      .insertInto('maintenance_runs')
      .values({ job: MAINTENANCE_JOB, day })
      .onConflict((oc) => oc.columns(['job', 'day']).doNothing())
      .returning('day')
      .executeTakeFirst();
    if (!claimed) return { ran: false, day, expired: 0, unpublished: 0 };
    const close = { version: sql<number>`version + 1`, updated_at: now, closed_at: now };
    const expired = await trx
      .updateTable('vacancies')
      .set({ ...close, status: 'expired', status_reason: 'past validUntil' })
      .where('status', '=', 'open')
      .where('valid_until', '<=', now)
      .returningAll()
      .execute();
    const unpublished = await trx
      .updateTable('vacancies')
      .set({ ...close, status: 'closed', status_reason: `not refreshed for ${staleDays} days` })
      .where('status', '=', 'open')
      .where('refreshed_at', '<', new Date(now.getTime() - staleDays * 86_400_000))
      .returningAll()
      .execute();
    for (const row of [...expired, ...unpublished]) await publishVacancy(trx, row, 'updated');
    await trx
      .updateTable('maintenance_runs')
      .set({ expired: expired.length, unpublished: unpublished.length, finished_at: now })
      .where('job', '=', MAINTENANCE_JOB)
      .where('day', '=', day)
      .execute();
    ctx.logger.info({ day, expired: expired.length, unpublished: unpublished.length }, 'daily vacancy maintenance');
    return { ran: true, day, expired: expired.length, unpublished: unpublished.length };
  });
}
