import { sql, type Kysely } from 'kysely';

/**
 * Whether the standard asks for information to be collected again every year
 * (SPEC §4): part of each standard version, beside its targets. Registration
 * through the system is network entry and information collection; the
 * versions written so far (the report's) ask for no yearly re-collection.
 */
export async function up(db: Kysely<unknown>) {
  await db.schema
    .alterTable('assessment_standards')
    .addColumn('collection', 'jsonb', (c) => c.notNull().defaultTo(sql`'{"yearlyRecollection": false}'::jsonb`))
    .execute();
}

export async function down(db: Kysely<unknown>) {
  await db.schema.alterTable('assessment_standards').dropColumn('collection').execute();
}
