import { sql, type Kysely } from 'kysely';

/**
 * Households of several generations (SPEC §3, §7): members name their spouse
 * and parents within the household, a parent says how many minor children of
 * their own live there and whether they raise them alone; a household holds
 * its minimum-livelihood certificate (低保, number encrypted, and date); and
 * what each household category rests on is kept with the categories and their
 * history, so coverage asks about the right members.
 */
export async function up(db: Kysely<unknown>) {
  await db.schema
    .alterTable('job_seekers')
    // Stored on both spouses: each person is linked to at most one, and a link always points back.
    .addColumn('spouse_id', 'uuid', (c) => c.references('job_seekers.id').onDelete('set null'))
    .addColumn('parent_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('own_minor_children', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('raising_alone', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await sql`create unique index job_seekers_one_spouse_link on job_seekers (spouse_id) where spouse_id is not null`.execute(db);
  await db.schema
    .alterTable('households')
    .addColumn('minimum_livelihood_certificate_enc', 'text')
    .addColumn('minimum_livelihood_since', 'date')
    .addColumn('hardship_basis', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  // Null on rows written before: their categories rested on the head and the spouse.
  await db.schema.alterTable('household_category_history').addColumn('hardship_basis', 'jsonb').execute();
}

export async function down(db: Kysely<unknown>) {
  await db.schema.alterTable('household_category_history').dropColumn('hardship_basis').execute();
  for (const col of ['minimum_livelihood_certificate_enc', 'minimum_livelihood_since', 'hardship_basis']) await db.schema.alterTable('households').dropColumn(col).execute();
  await sql`drop index job_seekers_one_spouse_link`.execute(db);
  for (const col of ['spouse_id', 'parent_ids', 'own_minor_children', 'raising_alone']) await db.schema.alterTable('job_seekers').dropColumn(col).execute();
}
