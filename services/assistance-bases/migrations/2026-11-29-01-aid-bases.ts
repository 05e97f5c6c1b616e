import { sql, type Kysely } from 'kysely';

/** The bases, their reserved posts, the vacancies they may reserve (a projection) and placements. */
export async function up(db: Kysely<unknown>) {
  await db.schema
    .createTable('aid_bases')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('community_code', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('sectors', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('joined_year', 'integer', (c) => c.notNull())
    .addColumn('cohort', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // One base per name: a second registration or a re-imported row is a duplicate.
  await sql`create unique index aid_bases_name on aid_bases (lower(name))`.execute(db);
  await db.schema.createIndex('aid_bases_sort').on('aid_bases').columns(['name', 'id']).execute();
  await db.schema.createIndex('aid_bases_community').on('aid_bases').columns(['community_code']).execute();

  await db.schema
    .createTable('vacancies')
    .addColumn('vacancy_id', 'uuid', (c) => c.primaryKey())
    .addColumn('employer_id', 'uuid', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('occupation_code', 'text', (c) => c.notNull())
    .addColumn('community_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('headcount', 'integer', (c) => c.notNull())
    .addColumn('headcount_left', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'timestamptz', (c) => c.notNull())
    .addColumn('source_seq', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('reserved_posts')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('aid_base_id', 'uuid', (c) => c.notNull().references('aid_bases.id'))
    .addColumn('vacancy_id', 'uuid', (c) => c.notNull())
    .addColumn('reserved_for', sql`text[]`, (c) => c.notNull())
    .addColumn('quota', 'integer', (c) => c.notNull().check(sql`quota >= 1`))
    .addColumn('filled', 'integer', (c) => c.notNull().defaultTo(0).check(sql`filled >= 0`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('withdrawn_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // A vacancy is reserved by at most one live post; a withdrawn one frees it.
  await sql`create unique index reserved_posts_live_vacancy on reserved_posts (vacancy_id) where status <> 'withdrawn'`.execute(db);
  await db.schema.createIndex('reserved_posts_base').on('reserved_posts').columns(['aid_base_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('placements')
    // A referral is placed once, however often its hire event arrives.
    .addColumn('referral_id', 'uuid', (c) => c.primaryKey())
    .addColumn('reserved_post_id', 'uuid', (c) => c.notNull().references('reserved_posts.id'))
    .addColumn('aid_base_id', 'uuid', (c) => c.notNull().references('aid_bases.id'))
    .addColumn('vacancy_id', 'uuid', (c) => c.notNull())
    .addColumn('seeker_id', 'uuid', (c) => c.notNull())
    .addColumn('hardship_categories', sql`text[]`, (c) => c.notNull())
    .addColumn('hired_at', 'timestamptz', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('placements_base').on('placements').columns(['aid_base_id', 'month']).execute();
}

export async function down(db: Kysely<unknown>) {
  await db.schema.dropTable('placements').execute();
  await db.schema.dropTable('reserved_posts').execute();
  await db.schema.dropTable('vacancies').execute();
  await db.schema.dropTable('aid_bases').execute();
}
