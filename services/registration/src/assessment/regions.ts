import { COMMUNITY_TYPES, type CommunityType } from '@reemploy/assessment';
import type { Db } from './tables.ts';

/** Names of the given region codes and of their street, district and city, as known to the regions table. */
export async function regionNames(db: Db, codes: Iterable<string>): Promise<Map<string, string>> {
  const wanted = new Set<string>();
  for (const code of codes) for (const length of [4, 6, 9, 12]) if (code.length >= length) wanted.add(code.slice(0, length));
  if (wanted.size === 0) return new Map();
  const rows = await db.selectFrom('regions').select(['code', 'name']).where('code', 'in', [...wanted]).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** The assessment type of each community: an officer's override, else the derived type, else old-city. */
export async function communityTypes(db: Db, codes: string[]): Promise<Map<string, CommunityType>> {
  const types = new Map<string, CommunityType>(codes.map((c) => [c, 'old-city']));
  if (codes.length === 0) return types;
  const rows = await db.selectFrom('regions').select(['code', 'community_type', 'derived_community_type']).where('code', 'in', codes).execute();
  for (const row of rows) {
    const type = row.community_type ?? row.derived_community_type;
    if (type && (COMMUNITY_TYPES as readonly string[]).includes(type)) types.set(row.code, type as CommunityType);
  }
  return types;
}

/** Community codes under the prefixes known to the regions table. */
export async function knownCommunities(db: Db, prefixes: string[]): Promise<string[]> {
  if (prefixes.length === 0) return [];
  const rows = await db
    .selectFrom('regions')
    .select('code')
    .where('level', '=', 'community')
    .where((eb) => eb.or(prefixes.map((p) => eb('code', 'like', `${p}%`))))
    .execute();
  return rows.map((r) => r.code);
}
