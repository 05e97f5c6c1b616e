import type { Kysely, Transaction } from 'kysely';
import type { HardshipCategory } from '@reemploy/domain';
import type { AssistanceBasesDB } from '../database.ts';
import { placementsByCategory, placementsByMonth, postTotals } from './repository.ts';
import type { AidBaseView } from './schemas.ts';

export type BaseFigures = Pick<AidBaseView, 'reservedPosts' | 'placements'>;

function empty(): BaseFigures {
  return {
    reservedPosts: { active: 0, filled: 0, withdrawn: 0, quota: 0, placed: 0 },
    placements: { total: 0, byCategory: {}, byMonth: {} },
  };
}

/** The figures of a page of bases in three grouped queries, whatever the page size. */
export async function figuresFor(db: Kysely<AssistanceBasesDB> | Transaction<AssistanceBasesDB>, baseIds: string[]): Promise<Map<string, BaseFigures>> {
  const out = new Map(baseIds.map((id) => [id, empty()]));
  if (baseIds.length === 0) return out;
  const [posts, months, categories] = await Promise.all([postTotals(db, baseIds), placementsByMonth(db, baseIds), placementsByCategory(db, baseIds)]);
  for (const row of posts) {
    const f = out.get(row.aid_base_id)!.reservedPosts;
    if (row.status === 'active' || row.status === 'filled' || row.status === 'withdrawn') f[row.status] = row.posts;
    if (row.status !== 'withdrawn') {
      f.quota += row.quota;
      f.placed += row.placed;
    }
  }
  for (const row of months) {
    const f = out.get(row.aid_base_id)!.placements;
    f.byMonth[row.month] = row.n;
    f.total += row.n;
  }
  for (const row of categories) out.get(row.aid_base_id)!.placements.byCategory[row.category as HardshipCategory] = row.n;
  return out;
}
