import { sql, type Kysely } from 'kysely';

/**
 * A staged partition (about a megabyte of vacancy numbers and scores) is kept
 * out of line but not compressed: it is written once, read once and deleted,
 * and compressing it cost the partition jobs and finalize more CPU than the
 * bytes it saved were worth (it hardly shrinks).
 */
export async function up(db: Kysely<unknown>) {
  await sql`alter table run_candidates alter column packed set storage external`.execute(db);
}

export async function down(db: Kysely<unknown>) {
  await sql`alter table run_candidates alter column packed set storage extended`.execute(db);
}
