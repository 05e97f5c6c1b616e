import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>) {
  // Every version of every community type's targets is kept; assessments point at the version they used.
  await db.schema
    .createTable('assessment_standards')
    .addColumn('community_type', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('targets', 'jsonb', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('changed_by', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('assessment_standards_pk', ['community_type', 'version'])
    .execute();

  await db.schema
    .createTable('assessment_applications')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('community_code', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('applied_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('assessment_applications_once', ['community_code', 'period'])
    .execute();
  await sql`create index assessment_applications_period on assessment_applications (period, community_code text_pattern_ops)`.execute(db);

  await db.schema
    .createTable('assessments')
    .addColumn('community_code', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('community_type', 'text', (c) => c.notNull())
    .addColumn('standard_version', 'integer', (c) => c.notNull())
    .addColumn('passed', 'boolean', (c) => c.notNull())
    .addColumn('criteria', 'jsonb', (c) => c.notNull())
    .addColumn('first_assessed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('assessed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('assessments_pk', ['community_code', 'period'])
    .execute();

  await db.schema
    .createTable('assessment_samples')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('seed', 'text', (c) => c.notNull())
    .addColumn('size', 'jsonb', (c) => c.notNull())
    .addColumn('parent_id', 'uuid', (c) => c.references('assessment_samples.id'))
    .addColumn('population', 'integer', (c) => c.notNull())
    .addColumn('items', sql`text[]`, (c) => c.notNull())
    .addColumn('strata', 'jsonb', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index assessment_samples_page on assessment_samples (created_at, id)`.execute(db);

  // What registration learns only from other services' events, one row per event (idempotent by its id).
  await db.schema
    .createTable('assessment_activity')
    .addColumn('event_id', 'uuid', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('community_code', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('aid_base_id', 'uuid')
    .execute();
  await sql`create index assessment_activity_by_time on assessment_activity (occurred_at, community_code)`.execute(db);
}

export async function down(db: Kysely<unknown>) {
  for (const table of ['assessment_activity', 'assessment_samples', 'assessments', 'assessment_applications', 'assessment_standards']) {
    await db.schema.dropTable(table).execute();
  }
}
