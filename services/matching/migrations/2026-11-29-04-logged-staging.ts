import { sql, type Kysely } from 'kysely';

/**
 * The staged candidate lists become crash-safe. An unlogged table is emptied
 * when Postgres recovers from a crash, while the partitions' "done" marks (in
 * a logged table) survive: the finalize step would then have allocated
 * without the lost partitions' seekers and completed the run without a word.
 * Logged, a partition that is marked done still has its lists after any
 * restart, for about 30 MB of WAL per city-sized run.
 */
export async function up(db: Kysely<unknown>) {
  await sql`alter table run_candidates set logged`.execute(db);
}

export async function down(db: Kysely<unknown>) {
  await sql`alter table run_candidates set unlogged`.execute(db);
}
