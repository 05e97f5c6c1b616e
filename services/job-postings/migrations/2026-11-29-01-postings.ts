import { sql, type Kysely } from 'kysely';

/** Frozen: employers, vacancies, hires, job fairs and the daily-run guard as of 2026-11-29. */
export async function up(db: Kysely<unknown>) {
  await db.schema
    .createTable('employers')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('credit_code', 'text', (c) => c.notNull())
    .addColumn('community_code', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    // The contact person is personal information: encrypted, shown masked without pii:read.
    .addColumn('contact_name_enc', 'text')
    .addColumn('contact_phone_enc', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('employers_credit_code_key', ['credit_code'])
    .execute();
  await sql`create index employers_community on employers (community_code text_pattern_ops)`.execute(db);
  await sql`create index employers_page on employers (created_at, id)`.execute(db);
  await sql`create index employers_name_trgm on employers using gin (name public.gin_trgm_ops)`.execute(db);

  await db.schema
    .createTable('vacancies')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('employer_id', 'uuid', (c) => c.notNull().references('employers.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    // NFKC, case folded, whitespace and punctuation removed: the duplicate key and the search text.
    .addColumn('title_normalised', 'text', (c) => c.notNull())
    .addColumn('occupation_code', 'text', (c) => c.notNull())
    .addColumn('skills', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('min_age', 'integer', (c) => c.notNull())
    .addColumn('max_age', 'integer', (c) => c.notNull())
    .addColumn('education_min', 'text', (c) => c.notNull())
    .addColumn('wage_min', 'integer', (c) => c.notNull())
    .addColumn('wage_max', 'integer', (c) => c.notNull())
    .addColumn('headcount', 'integer', (c) => c.notNull())
    .addColumn('headcount_left', 'integer', (c) => c.notNull())
    .addColumn('community_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    // Every source the post was collected from; a merge adds the other vacancy's.
    .addColumn('sources', sql`text[]`, (c) => c.notNull())
    .addColumn('reserved_for', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('description', 'text')
    .addColumn('valid_until', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_reason', 'text')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('merged_into', 'uuid', (c) => c.references('vacancies.id'))
    .addColumn('merged_from', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    // Confirmed still current by its collector: a post unrefreshed for 90 days is unpublished.
    .addColumn('refreshed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // The same post collected twice while open is one post.
  await sql`create unique index vacancies_open_duplicate on vacancies (employer_id, occupation_code, community_code, title_normalised) where status = 'open'`.execute(db);
  await sql`create index vacancies_community on vacancies (community_code text_pattern_ops)`.execute(db);
  await sql`create index vacancies_occupation on vacancies (occupation_code text_pattern_ops)`.execute(db);
  await sql`create index vacancies_page on vacancies (created_at desc, id desc)`.execute(db);
  await sql`create index vacancies_reserved on vacancies using gin (reserved_for)`.execute(db);
  await sql`create index vacancies_title_trgm on vacancies using gin (title_normalised public.gin_trgm_ops)`.execute(db);
  await sql`create index vacancies_near on vacancies (employer_id, occupation_code) where status = 'open'`.execute(db);
  await sql`create index vacancies_open_valid on vacancies (valid_until) where status = 'open'`.execute(db);
  await sql`create index vacancies_open_refreshed on vacancies (refreshed_at) where status = 'open'`.execute(db);

  // One row per hire: a hire reported twice decrements the headcount once.
  await db.schema
    .createTable('vacancy_hires')
    .addColumn('referral_id', 'uuid', (c) => c.primaryKey())
    .addColumn('vacancy_id', 'uuid', (c) => c.notNull().references('vacancies.id'))
    .addColumn('seeker_id', 'uuid', (c) => c.notNull())
    .addColumn('hired_at', 'timestamptz', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index vacancy_hires_by_vacancy on vacancy_hires (vacancy_id)`.execute(db);

  await db.schema
    .createTable('job_fairs')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('starts_at', 'text')
    .addColumn('ends_at', 'text')
    .addColumn('venue', 'text', (c) => c.notNull())
    .addColumn('community_code', 'text', (c) => c.notNull())
    .addColumn('target_groups', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('organiser', 'text')
    .addColumn('description', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index job_fairs_upcoming on job_fairs (date, id)`.execute(db);
  await sql`create index job_fairs_community on job_fairs (community_code text_pattern_ops)`.execute(db);

  await db.schema
    .createTable('job_fair_vacancies')
    .addColumn('job_fair_id', 'uuid', (c) => c.notNull().references('job_fairs.id').onDelete('cascade'))
    .addColumn('vacancy_id', 'uuid', (c) => c.notNull().references('vacancies.id'))
    .addColumn('attached_by', 'text', (c) => c.notNull())
    .addColumn('attached_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('job_fair_vacancies_pk', ['job_fair_id', 'vacancy_id'])
    .execute();
  await sql`create index job_fair_vacancies_by_vacancy on job_fair_vacancies (vacancy_id)`.execute(db);

  // At most one daily maintenance run per day, whatever the scheduler does.
  await db.schema
    .createTable('maintenance_runs')
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('expired', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unpublished', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('finished_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('maintenance_runs_pk', ['job', 'day'])
    .execute();
}

export async function down(db: Kysely<unknown>) {
  for (const table of ['maintenance_runs', 'job_fair_vacancies', 'job_fairs', 'vacancy_hires', 'vacancies', 'employers']) {
    await db.schema.dropTable(table).execute();
  }
}
