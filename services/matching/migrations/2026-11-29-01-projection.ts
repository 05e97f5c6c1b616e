import { sql, type Kysely } from 'kysely';

/** Matching's own copy of the seekers it ranks for, fed by registration's events. */
export async function up(db: Kysely<unknown>) {
  await db.schema
    .createTable('seekers')
    .addColumn('seeker_id', 'uuid', (c) => c.primaryKey())
    .addColumn('household_id', 'uuid')
    .addColumn('community_code', 'text', (c) => c.notNull())
    .addColumn('gender', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'date', (c) => c.notNull())
    .addColumn('education', 'text', (c) => c.notNull())
    .addColumn('skills', sql`text[]`, (c) => c.notNull())
    .addColumn('desired_occupations', sql`text[]`, (c) => c.notNull())
    .addColumn('expected_monthly_wage', 'integer')
    .addColumn('able_to_work', 'boolean', (c) => c.notNull())
    .addColumn('willing_to_work', 'boolean', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('hardship_categories', sql`text[]`, (c) => c.notNull())
    .addColumn('source_seq', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('seekers_community').on('seekers').columns(['community_code']).execute();
}

export async function down(db: Kysely<unknown>) {
  await db.schema.dropTable('seekers').execute();
}
