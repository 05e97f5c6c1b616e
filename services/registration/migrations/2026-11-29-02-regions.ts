import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>) {
  await db.schema
    .createTable('regions')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    // city | district | street | community
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('parent_code', 'text')
    // district: urban-district | county-city | zone; street: street | town; community: residents | village
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('derived_community_type', 'text')
    .addColumn('community_type', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index regions_parent on regions (parent_code, code)`.execute(db);
  await sql`create index regions_name_trgm on regions using gin (name public.gin_trgm_ops)`.execute(db);
  await db.schema
    .createTable('region_imports')
    .addColumn('prefix', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('nodes', 'integer', (c) => c.notNull())
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>) {
  await db.schema.dropTable('region_imports').execute();
  await db.schema.dropTable('regions').execute();
}
