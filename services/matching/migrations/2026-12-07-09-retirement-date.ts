import type { Kysely } from 'kysely';

/**
 * Each seeker's statutory retirement date, from the snapshot's birth date and
 * retirement scheme: from that day the person is no longer of working age and
 * is not ranked. Rows projected before it exist stay null (not known: ranked as
 * before) until the seeker's next snapshot.
 */
export async function up(db: Kysely<unknown>) {
  await db.schema.alterTable('seekers').addColumn('retirement_date', 'date').execute();
}

export async function down(db: Kysely<unknown>) {
  await db.schema.alterTable('seekers').dropColumn('retirement_date').execute();
}
