import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { RegionTable, RegistrationDB } from '../database.ts';
import type { RegionNode } from './source.ts';

type Db = Kysely<RegistrationDB> | Transaction<RegistrationDB>;
export type RegionRow = Selectable<RegionTable>;

export async function importedSource(db: Db, prefix: string): Promise<{ source: string; nodes: number } | undefined> {
  return db.selectFrom('region_imports').select(['source', 'nodes']).where('prefix', '=', prefix).executeTakeFirst();
}

/** Upserts the nodes in multi-row statements; an officer's community-type override survives. */
export async function upsertRegions(trx: Transaction<RegistrationDB>, nodes: RegionNode[], prefix: string, source: string) {
  for (let i = 0; i < nodes.length; i += 1000) {
    const values = nodes.slice(i, i + 1000).map((n) => ({
      code: n.code,
      name: n.name,
      level: n.level,
      parent_code: n.parentCode,
      kind: n.kind,
      derived_community_type: n.derivedCommunityType,
    }));
    await trx
      .insertInto('regions')
      .values(values)
      .onConflict((oc) =>
        oc.column('code').doUpdateSet(({ ref }) => ({
          name: ref('excluded.name'),
          level: ref('excluded.level'),
          parent_code: ref('excluded.parent_code'),
          kind: ref('excluded.kind'),
          derived_community_type: ref('excluded.derived_community_type'),
        })),
      )
      .execute();
  }
  await trx
    .insertInto('region_imports')
    .values({ prefix, source, nodes: nodes.length })
    .onConflict((oc) => oc.column('prefix').doUpdateSet({ source, nodes: nodes.length, imported_at: sql`now()` }))
    .execute();
}

export function findRegion(db: Db, code: string): Promise<RegionRow | undefined> {
  return db.selectFrom('regions').selectAll().where('code', '=', code).executeTakeFirst();
}

export function childrenOf(db: Db, code: string): Promise<RegionRow[]> {
  return db.selectFrom('regions').selectAll().where('parent_code', '=', code).orderBy('code').execute();
}

export async function isCommunity(db: Db, code: string): Promise<boolean> {
  const row = await db.selectFrom('regions').select('code').where('code', '=', code).where('level', '=', 'community').executeTakeFirst();
  return row !== undefined;
}

/** Known community codes under any of the prefixes (bulk validation). */
export async function communityCodesUnder(db: Db, prefixes: string[]): Promise<Set<string>> {
  if (!prefixes.length) return new Set();
  const rows = await db
    .selectFrom('regions')
    .select('code')
    .where('level', '=', 'community')
    .where((eb) => eb.or(prefixes.map((p) => eb('code', 'like', `${p}%`))))
    .execute();
  return new Set(rows.map((r) => r.code));
}

export interface RegionSearch {
  simplified: string;
  original: string;
  level?: string;
  within?: string;
  after?: { nameLength: number; code: string } | undefined;
  limit: number;
}

/** Name search over simplified and traditional spellings, best (shortest) matches first, then by code; one row more than the limit. */
export function searchRegions(db: Db, q: RegionSearch): Promise<(RegionRow & { name_length: number })[]> {
  const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  let query = db
    .selectFrom('regions')
    .selectAll()
    .select(sql<number>`length(name)`.as('name_length'))
    .where((eb) => eb.or([eb('name', 'like', like(q.simplified)), eb('name', 'like', like(q.original))]));
  if (q.level) query = query.where('level', '=', q.level);
  if (q.within) query = query.where('code', 'like', `${q.within}%`);
  if (q.after) query = query.where(sql<boolean>`(length(name), code) > (${q.after.nameLength}::int, ${q.after.code}::text)`);
  return query.orderBy(sql`length(name)`).orderBy('code').limit(q.limit + 1).execute();
}

export function setCommunityType(trx: Transaction<RegistrationDB>, code: string, type: string | null, version: number): Promise<RegionRow | undefined> {
  return trx
    .updateTable('regions')
    .set({ community_type: type, version: sql`version + 1`, updated_at: new Date() })
    .where('code', '=', code)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}
