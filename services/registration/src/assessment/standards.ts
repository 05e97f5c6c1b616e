import { COMMUNITY_TYPES, REPORT_COLLECTION, REPORT_TARGETS, checkTargets, type CollectionRule, type CommunityType, type StandardTargets } from '@reemploy/assessment';
import { etagOf, problems } from '@reemploy/http-kit';
import type { Caller } from '@reemploy/http-kit';
import type { RegistrationContext } from '../context.ts';
import { assessmentDb, type Db } from './tables.ts';

export interface StandardVersion {
  communityType: CommunityType;
  version: number;
  targets: StandardTargets;
  collection: CollectionRule;
  note: string | null;
  changedBy: string;
  changedAt: string;
}

function toVersion(row: { community_type: string; version: number; targets: Record<string, number>; collection: CollectionRule; note: string | null; changed_by: string; changed_at: Date }): StandardVersion {
  return {
    communityType: row.community_type as CommunityType,
    version: row.version,
    targets: row.targets as StandardTargets,
    collection: row.collection,
    note: row.note,
    changedBy: row.changed_by,
    changedAt: row.changed_at.toISOString(),
  };
}

/** Version 1 of every type is the report's targets, written on first use so history starts from it. */
async function ensureDefaults(db: Db): Promise<void> {
  await db
    .insertInto('assessment_standards')
    .values(
      COMMUNITY_TYPES.map((type) => ({
        community_type: type,
        version: 1,
        targets: JSON.stringify(REPORT_TARGETS),
        collection: JSON.stringify(REPORT_COLLECTION),
        note: 'defaults from the report',
        changed_by: 'system',
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function currentStandard(db: Db, type: CommunityType): Promise<StandardVersion> {
  await ensureDefaults(db);
  const row = await db.selectFrom('assessment_standards').selectAll().where('community_type', '=', type).orderBy('version', 'desc').limit(1).executeTakeFirstOrThrow();
  return toVersion(row);
}

export async function standardVersion(db: Db, type: CommunityType, version: number): Promise<StandardVersion> {
  await ensureDefaults(db);
  const row = await db.selectFrom('assessment_standards').selectAll().where('community_type', '=', type).where('version', '=', version).executeTakeFirstOrThrow();
  return toVersion(row);
}

/** Every type's current standard and its history, newest first. */
export async function listStandards(ctx: RegistrationContext): Promise<{ communityType: CommunityType; current: StandardVersion; history: StandardVersion[] }[]> {
  const db = assessmentDb(ctx);
  await ensureDefaults(db);
  const rows = await db.selectFrom('assessment_standards').selectAll().orderBy('community_type').orderBy('version', 'desc').execute();
  return COMMUNITY_TYPES.map((type) => {
    const history = rows.filter((r) => r.community_type === type).map(toVersion);
    return { communityType: type, current: history[0] as StandardVersion, history };
  });
}

/** A new version of a type's targets; assessments already made keep the version they used. */
export function standardEtag(type: string, version: number): string {
  return etagOf(`standard-${type}`, version);
}

/**
 * A new version of a type's targets (and, when given, its collection rule; else the current one's),
 * against the If-Match of the version it replaces.
 */
export async function changeStandard(
  ctx: RegistrationContext,
  caller: Caller,
  type: CommunityType,
  change: { targets: StandardTargets; collection?: CollectionRule | undefined; note: string | null },
  checkEtag: (current: string) => void,
): Promise<StandardVersion> {
  const { targets, note } = change;
  const problemsFound = checkTargets(targets);
  if (problemsFound.length > 0) {
    throw problems.validation(problemsFound.map(([id, message]) => ({ field: `body.targets.${id}`, message })));
  }
  return assessmentDb(ctx)
    .transaction()
    .execute(async (trx) => {
      await ensureDefaults(trx);
      // Serialise changes of one type so two writers cannot take the same version number.
      const latest = await trx.selectFrom('assessment_standards').select(['version', 'collection']).where('community_type', '=', type).orderBy('version', 'desc').limit(1).forUpdate().executeTakeFirstOrThrow();
      checkEtag(standardEtag(type, latest.version));
      const collection = change.collection ?? latest.collection;
      const row = await trx
        .insertInto('assessment_standards')
        .values({ community_type: type, version: latest.version + 1, targets: JSON.stringify(targets), collection: JSON.stringify(collection), note, changed_by: caller.sub })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toVersion(row);
    })
    .catch((err: unknown) => {
      // Two writers read the same latest version: the second one's If-Match is stale.
      if ((err as { code?: string }).code === '23505') throw problems.preconditionFailed();
      throw err;
    });
}
