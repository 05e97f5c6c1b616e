import { allowLongStatements, transact } from '@reemploy/db';
import { cityDate } from '@reemploy/domain';
import { sql } from 'kysely';
import { recordEvent } from '@reemploy/messaging';
import type { RegistrationContext } from '../context.ts';

export const RETENTION_JOB = 'retention-daily';

/**
 * Retention: every seeker withdrawn (status `withdrawn`, since `status_since`)
 * for longer than RETENTION_WITHDRAWN_DAYS is anonymised, irreversibly:
 *
 * - removed: the identity number, its keyed lookup hash (so the person can
 *   register afresh), name, phone, the keyed hash of the registered content,
 *   the free-text notes of their service records, and any stored reply of an
 *   Idempotency-Key request that carried their record (it may hold it unmasked);
 * - kept, as the statistics need them: community, household and relationship,
 *   gender and birth date (age bands, 4050), education, skills, status and its
 *   dates, hardship categories, the employment history and service records
 *   (kind, date, coordinator), and every assessment figure;
 * - published: `seeker.anonymised`, so matching drops its copy of the person.
 *
 * Outbox rows already published stay: by contract a seeker event carries no
 * identity number, name or phone (see packages/events), only the attributes
 * kept here as well. Batches commit one by one (rows a request holds are
 * skipped until the next run), so the job runs safely beside the API and a
 * crash leaves the rest to the next run; running it again changes nothing.
 */
export async function anonymiseWithdrawnSeekers(ctx: RegistrationContext, now = new Date(), batchSize = 200): Promise<{ anonymised: number; cutoff: string }> {
  const cutoff = new Date(now.getTime() - ctx.env.RETENTION_WITHDRAWN_DAYS * 86_400_000);
  let anonymised = 0;
  for (;;) {
    const done = await transact(ctx.db, async (trx) => {
      // A batch step: the stored answers are searched for each person's id.
      await allowLongStatements(trx, ctx.env.DB_BATCH_STATEMENT_TIMEOUT_MS);
      const { rows } = await sql<{ id: string }>`
        select id from job_seekers
         where status = 'withdrawn' and anonymised_at is null and coalesce(status_since, updated_at) < ${cutoff}
         order by id limit ${batchSize} for update skip locked`.execute(trx);
      const ids = rows.map((r) => r.id);
      if (ids.length === 0) return 0;
      await trx
        .updateTable('job_seekers')
        .set({
          id_number_hash: null,
          id_number_enc: null,
          name_enc: null,
          phone_enc: null,
          content_hash: null,
          anonymised_at: now,
          version: sql<number>`version + 1`,
          updated_at: now,
        })
        .where('id', 'in', ids)
        .execute();
      await trx.updateTable('service_records').set({ note: null }).where('seeker_id', 'in', ids).execute();
      await sql`delete from idempotency_keys where response is not null and response::text like any(${ids.map((id) => `%${id}%`)}::text[])`.execute(trx);
      for (const id of ids) await recordEvent(trx, 'seeker.anonymised', id, { seekerId: id, at: now.toISOString() });
      return ids.length;
    });
    anonymised += done;
    if (done < batchSize) break;
  }
  const day = cityDate(now);
  await ctx.db
    .insertInto('maintenance_runs')
    .values({ job: RETENTION_JOB, day, changed: anonymised })
    .onConflict((oc) => oc.columns(['job', 'day']).doUpdateSet({ changed: sql<number>`maintenance_runs.changed + excluded.changed` }))
    .execute();
  return { anonymised, cutoff: cutoff.toISOString() };
}
