import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>) {
  await db.schema
    .createTable('households')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('community_code', 'text', (c) => c.notNull())
    .addColumn('single_parent', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('minor_children', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('other_employed_members', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hardship_categories', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    // The zero-employment clock: started when the household becomes one, stopped by an offer.
    .addColumn('zero_employment_since', 'timestamptz')
    .addColumn('offer_deadline', 'timestamptz')
    .addColumn('offered_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index households_community on households (community_code text_pattern_ops)`.execute(db);
  await sql`create index households_page on households (created_at, id)`.execute(db);
  await sql`create index households_categories on households using gin (hardship_categories)`.execute(db);
  await sql`create index households_overdue on households (offer_deadline) where offer_deadline is not null and offered_at is null`.execute(db);

  await db.schema
    .createTable('household_category_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('household_id', 'uuid', (c) => c.notNull().references('households.id').onDelete('cascade'))
    .addColumn('hardship_categories', sql`text[]`, (c) => c.notNull())
    .addColumn('previous', sql`text[]`, (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index household_category_history_by_household on household_category_history (household_id, changed_at)`.execute(db);

  await db.schema
    .alterTable('job_seekers')
    .addColumn('household_id', 'uuid', (c) => c.references('households.id'))
    .addColumn('relationship', 'text')
    .addColumn('laid_off', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('minimum_livelihood', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('unemployed_since', 'date')
    .addColumn('hardship_categories', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('employer_name', 'text')
    .addColumn('status_since', 'timestamptz')
    // Keyed hash of the registered content: an identical re-import changes nothing.
    .addColumn('content_hash', 'text')
    .execute();
  // One head and one spouse per household.
  await sql`create unique index job_seekers_one_spouse on job_seekers (household_id) where relationship = 'spouse'`.execute(db);
  await sql`create unique index job_seekers_one_head on job_seekers (household_id) where relationship = 'head'`.execute(db);
  await sql`create index job_seekers_household on job_seekers (household_id) where household_id is not null`.execute(db);
  await sql`create index job_seekers_prefix on job_seekers (community_code text_pattern_ops)`.execute(db);
  await sql`create index job_seekers_page on job_seekers (created_at, id)`.execute(db);
  await sql`create index job_seekers_categories on job_seekers using gin (hardship_categories)`.execute(db);

  await db.schema
    .createTable('employment_changes')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('seeker_id', 'uuid', (c) => c.notNull().references('job_seekers.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('previous_status', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('vacancy_id', 'uuid')
    .addColumn('employer_name', 'text')
    // A hire reported by matching: the referral makes the change idempotent.
    .addColumn('referral_id', 'uuid', (c) => c.unique())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index employment_changes_by_seeker on employment_changes (seeker_id, at, id)`.execute(db);

  await db.schema
    .createTable('service_records')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('seeker_id', 'uuid', (c) => c.notNull().references('job_seekers.id').onDelete('cascade'))
    .addColumn('community_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('coordinator_id', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index service_records_by_seeker on service_records (seeker_id, at, id)`.execute(db);
  await sql`create index service_records_by_kind on service_records (kind, at)`.execute(db);

  await db.schema
    .createTable('maintenance_runs')
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('changed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('finished_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('maintenance_runs_pk', ['job', 'day'])
    .execute();
}

export async function down(db: Kysely<unknown>) {
  await db.schema.dropTable('maintenance_runs').execute();
  await db.schema.dropTable('service_records').execute();
  await db.schema.dropTable('employment_changes').execute();
  for (const col of ['household_id', 'relationship', 'laid_off', 'minimum_livelihood', 'disabled', 'unemployed_since', 'hardship_categories', 'employer_name', 'status_since', 'content_hash']) {
    await db.schema.alterTable('job_seekers').dropColumn(col).execute();
  }
  await db.schema.dropTable('household_category_history').execute();
  await db.schema.dropTable('households').execute();
}
