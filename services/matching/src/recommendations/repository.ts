import { keysetPage } from '@reemploy/db';
import { sql, type Kysely } from 'kysely';
import type { MatchingDB } from '../database.ts';

type Db = Kysely<MatchingDB>;

/** The latest completed run covering the area: one of the whole city, or of an area holding it. */
export function latestCompletedRunCovering(db: Db, communityCode: string) {
  return db
    .selectFrom('matching_runs')
    .select(['id', 'finished_at'])
    .where('status', '=', 'completed')
    .where((eb) => eb.or([eb('region_code', 'is', null), eb(eb.val(communityCode), 'like', sql<string>`region_code || '%'`)]))
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** A run's lists of seekers in the regions, by seeker id: `limit + 1` of them, for `pageFrom`. */
export function listRecommendations(db: Db, f: { runId: string; prefixes: string[]; after?: string | undefined; limit: number }) {
  const q = db
    .selectFrom('recommendations')
    .selectAll()
    .where('run_id', '=', f.runId)
    .where((eb) => eb.or(f.prefixes.map((p) => eb('community_code', 'like', `${p}%`))));
  return keysetPage(q, { columns: [{ ref: 'seeker_id', cast: 'uuid' }] }, f.after === undefined ? undefined : [f.after], f.limit).execute();
}
