import { sql, type Insertable, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { AidBaseTable, AssistanceBasesDB } from '../database.ts';

type Db = Kysely<AssistanceBasesDB> | Transaction<AssistanceBasesDB>;
export type AidBaseRow = Selectable<AidBaseTable>;

export function insertBase(db: Db, row: Insertable<AidBaseTable>): Promise<AidBaseRow> {
  return db.insertInto('aid_bases').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findBaseById(db: Db, id: string): Promise<AidBaseRow | undefined> {
  return db.selectFrom('aid_bases').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findBaseIdByName(db: Db, name: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('aid_bases')
    .select('id')
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
  return row?.id;
}

/** Applies a change only at the version the caller read; undefined when it moved on. */
export function updateBase(db: Db, id: string, version: number, patch: Updateable<AidBaseTable>): Promise<AidBaseRow | undefined> {
  return db
    .updateTable('aid_bases')
    .set({ ...patch, version: sql`version + 1`, updated_at: new Date() })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

export interface BaseListFilter {
  prefixes: string[];
  onlyBase?: string;
  cohort?: string;
  /** `placements`: most placements first, so the bureau sees which bases deliver. */
  sort: 'name' | 'placements';
  after?: { placed: number; name: string; id: string };
  limit: number;
}

export type ListedBaseRow = AidBaseRow & { placed: number };

/** One page in (name, id) or (placements desc, name, id) order, filtered by region prefixes in SQL. */
export function listBases(db: Db, f: BaseListFilter): Promise<ListedBaseRow[]> {
  const placed = sql<number>`coalesce(p.n, 0)::int`;
  let q = db
    .selectFrom('aid_bases as b')
    .leftJoin(
      (eb) => eb.selectFrom('placements').select('aid_base_id').select(sql<number>`count(*)`.as('n')).groupBy('aid_base_id').as('p'),
      (join) => join.onRef('p.aid_base_id', '=', 'b.id'),
    )
    .selectAll('b')
    .select(placed.as('placed'));
  q = q.where((eb) => eb.or(f.prefixes.map((p) => eb('b.community_code', 'like', `${p}%`))));
  if (f.onlyBase) q = q.where('b.id', '=', f.onlyBase);
  if (f.cohort) q = q.where('b.cohort', '=', f.cohort);
  if (f.after) {
    const { name, id } = f.after;
    q = q.where((eb) => {
      const byName = eb.or([eb('b.name', '>', name), eb.and([eb('b.name', '=', name), eb('b.id', '>', id)])]);
      if (f.sort === 'name') return byName;
      return eb.or([eb(placed, '<', f.after!.placed), eb.and([eb(placed, '=', f.after!.placed), byName])]);
    });
  }
  if (f.sort === 'placements') q = q.orderBy(placed, 'desc');
  return q.orderBy('b.name').orderBy('b.id').limit(f.limit).execute();
}

export interface PostTotalsRow {
  aid_base_id: string;
  status: string;
  posts: number;
  quota: number;
  placed: number;
}

export function postTotals(db: Db, baseIds: string[]): Promise<PostTotalsRow[]> {
  return db
    .selectFrom('reserved_posts')
    .select(['aid_base_id', 'status'])
    .select(sql<number>`count(*)::int`.as('posts'))
    .select(sql<number>`coalesce(sum(quota), 0)::int`.as('quota'))
    .select(sql<number>`coalesce(sum(filled), 0)::int`.as('placed'))
    .where('aid_base_id', 'in', baseIds)
    .groupBy(['aid_base_id', 'status'])
    .execute();
}

export function placementsByMonth(db: Db, baseIds: string[]): Promise<{ aid_base_id: string; month: string; n: number }[]> {
  return db
    .selectFrom('placements')
    .select(['aid_base_id', 'month'])
    .select(sql<number>`count(*)::int`.as('n'))
    .where('aid_base_id', 'in', baseIds)
    .groupBy(['aid_base_id', 'month'])
    .orderBy('month')
    .execute();
}

export async function placementsByCategory(db: Db, baseIds: string[]): Promise<{ aid_base_id: string; category: string; n: number }[]> {
  const { rows } = await sql<{ aid_base_id: string; category: string; n: number }>`
    select aid_base_id, category, count(*)::int as n
    from placements, unnest(hardship_categories) as category
    where aid_base_id = any(${baseIds}::uuid[])
    group by aid_base_id, category`.execute(db);
  return rows;
}
