import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>) {
  await db.schema
    .createTable('job_seekers')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('id_number_hash', 'text', (c) => c.notNull().unique())
    .addColumn('id_number_enc', 'text', (c) => c.notNull())
    .addColumn('name_enc', 'text', (c) => c.notNull())
    .addColumn('phone_enc', 'text')
    .addColumn('gender', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'date', (c) => c.notNull())
    .addColumn('community_code', 'text', (c) => c.notNull())
    .addColumn('education', 'text', (c) => c.notNull())
    .addColumn('skills', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('desired_occupations', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('expected_monthly_wage', 'integer')
    .addColumn('able_to_work', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('willing_to_work', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('unemployed'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('job_seekers_community').on('job_seekers').columns(['community_code', 'id']).execute();
}

export async function down(db: Kysely<unknown>) {
  await db.schema.dropTable('job_seekers').execute();
}
