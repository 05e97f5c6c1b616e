import { sql, type Kysely } from 'kysely';

/**
 * A run's staged candidate lists become one packed row per partition (see
 * src/runs/staging.ts) instead of one row per seeker: a partition's lists are
 * written and read back as a single binary value, keyed by run and partition.
 * The table only ever holds the lists of runs in progress: nothing to carry over.
 */
export async function up(db: Kysely<unknown>) {
  await sql`drop table run_candidates`.execute(db);
  await sql`
    create unlogged table run_candidates (
      run_id uuid not null,
      partition_key text not null,
      seekers integer not null,
      packed bytea not null,
      primary key (run_id, partition_key)
    )`.execute(db);
  // Large packed values are read whole by the finalize step: no compression to undo.
  await sql`alter table run_candidates alter column packed set storage external`.execute(db);
}

export async function down(db: Kysely<unknown>) {
  await sql`drop table run_candidates`.execute(db);
  await sql`
    create unlogged table run_candidates (
      run_id uuid not null,
      seeker_id uuid not null,
      community_code text not null,
      age smallint not null,
      education text not null,
      hardship_categories text[] not null,
      packed bytea not null,
      primary key (run_id, seeker_id)
    )`.execute(db);
}
