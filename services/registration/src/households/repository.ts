import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import { createdKeyset, keysetPage } from '@reemploy/db';
import type { HouseholdTable, RegistrationDB } from '../database.ts';

type Db = Kysely<RegistrationDB> | Transaction<RegistrationDB>;
export type HouseholdRow = Selectable<HouseholdTable>;

export function findHousehold(db: Db, id: string): Promise<HouseholdRow | undefined> {
  return db.selectFrom('households').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockHousehold(trx: Transaction<RegistrationDB>, id: string): Promise<HouseholdRow | undefined> {
  return trx.selectFrom('households').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function insertHousehold(db: Db, row: Insertable<HouseholdTable>): Promise<HouseholdRow> {
  return db.insertInto('households').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listHouseholds(db: Db, f: { prefixes: string[]; category?: string | undefined; after?: { at: string; id: string } | undefined; limit: number }) {
  let q = db
    .selectFrom('households')
    .selectAll()
    .select(sql<string>`created_at::text`.as('cursor_at'))
    .where((eb) => eb.or(f.prefixes.map((p) => eb('community_code', 'like', `${p}%`))));
  if (f.category) q = q.where('hardship_categories', '@>', sql<string[]>`array[${f.category}]::text[]`);
  return keysetPage(q, createdKeyset(), f.after && [f.after.at, f.after.id], f.limit).execute();
}

/** Households that carried a category at any moment of [from, to): the assessment's "during the period". */
export async function householdsWithCategoryDuring(db: Db, category: string, from: Date, to: Date): Promise<string[]> {
  const rows = await sql<{ household_id: string }>`
    select distinct h.household_id from household_category_history h
    where h.changed_at < ${to}
      and ${category} = any(h.hardship_categories)
      and (h.changed_at >= ${from} or not exists (
        select 1 from household_category_history later
        where later.household_id = h.household_id and later.changed_at > h.changed_at and later.changed_at <= ${from}))
  `.execute(db);
  return rows.rows.map((r) => r.household_id);
}
