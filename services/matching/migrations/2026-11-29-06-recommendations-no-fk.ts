import { sql, type Kysely } from 'kysely';

/**
 * A run's recommendations are written by one COPY inside the transaction that
 * holds the run's row locked and completes it: they cannot name a run that does
 * not exist. The foreign key only repeated that check once per row, a fifth of
 * the write's time at city scale (95,000 rows), so it goes; a run is never
 * deleted once it has recommendations (only a run whose job could not be queued
 * is, before any work), and `down` restores the key.
 */
export async function up(db: Kysely<unknown>) {
  await sql`alter table recommendations drop constraint if exists recommendations_run_id_fkey`.execute(db);
}

export async function down(db: Kysely<unknown>) {
  await sql`alter table recommendations add constraint recommendations_run_id_fkey foreign key (run_id) references matching_runs (id) on delete cascade`.execute(db);
}
