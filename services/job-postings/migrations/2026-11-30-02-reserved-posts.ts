import { sql, type Kysely } from 'kysely';

/**
 * Frozen: job-postings' copy of the assistance bases' reserved posts, one row
 * per post as its newest `reserved-post.changed` snapshot left it. `source_seq`
 * is the producer's outbox sequence, so a snapshot delivered late changes
 * nothing. No foreign key to vacancies: a projection takes what it is sent.
 */
export async function up(db: Kysely<unknown>) {
  await db.schema
    .createTable('reserved_posts')
    .addColumn('reserved_post_id', 'uuid', (c) => c.primaryKey())
    .addColumn('vacancy_id', 'uuid', (c) => c.notNull())
    .addColumn('aid_base_id', 'uuid', (c) => c.notNull())
    .addColumn('reserved_for', sql`text[]`, (c) => c.notNull())
    .addColumn('quota', 'integer', (c) => c.notNull())
    .addColumn('filled', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('source_seq', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index reserved_posts_vacancy on reserved_posts (vacancy_id)`.execute(db);
}

export async function down(db: Kysely<unknown>) {
  await db.schema.dropTable('reserved_posts').execute();
}
