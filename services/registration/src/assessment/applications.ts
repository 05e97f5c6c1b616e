import { randomUUID } from 'node:crypto';
import { inRegions, problems, type Caller } from '@reemploy/http-kit';
import type { RegistrationContext } from '../context.ts';
import { knownCommunities } from './regions.ts';
import { assessmentDb } from './tables.ts';

export interface Application {
  id: string;
  communityCode: string;
  period: string;
  appliedBy: string;
  createdAt: string;
}

/**
 * A community, or its street on its behalf, applies to be assessed for a period. Applying twice is
 * harmless: the first application stands and is returned.
 */
export async function apply(ctx: RegistrationContext, caller: Caller, period: string, communityCodes: string[]): Promise<Application[]> {
  communityCodes.forEach((code, i) => {
    if (!inRegions(caller, code)) throw problems.outsideRegions(`body.communityCodes.${i}`);
  });
  const codes = [...new Set(communityCodes)].sort();
  const db = assessmentDb(ctx);
  const known = new Set(await knownCommunities(db, codes));
  communityCodes.forEach((code, i) => {
    if (!known.has(code)) throw problems.field(`body.communityCodes.${i}`, 'is not a community of the division tree');
  });
  await db
    .insertInto('assessment_applications')
    .values(codes.map((code) => ({ id: randomUUID(), community_code: code, period, applied_by: caller.sub })))
    .onConflict((oc) => oc.columns(['community_code', 'period']).doNothing())
    .execute();
  const rows = await db.selectFrom('assessment_applications').selectAll().where('period', '=', period).where('community_code', 'in', codes).orderBy('community_code').execute();
  return rows.map((r) => ({ id: r.id, communityCode: r.community_code, period: r.period, appliedBy: r.applied_by, createdAt: r.created_at.toISOString() }));
}
