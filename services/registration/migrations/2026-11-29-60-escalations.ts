import { sql, type Kysely } from 'kysely';

/** Each escalation published, once per household and offer deadline (a household that becomes zero-employment again gets a new deadline). */
export async function up(db: Kysely<unknown>) {
  await db.schema
    .createTable('household_escalations')
    .addColumn('household_id', 'uuid', (c) => c.notNull().references('households.id').onDelete('cascade'))
    .addColumn('offer_deadline', 'timestamptz', (c) => c.notNull())
    .addColumn('escalated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('household_escalations_pk', ['household_id', 'offer_deadline'])
    .execute();
}

export async function down(db: Kysely<unknown>) {
  await db.schema.dropTable('household_escalations').execute();
}
