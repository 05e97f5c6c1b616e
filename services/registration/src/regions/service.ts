import { transact } from '@reemploy/db';
import { sql } from 'kysely';
import type { CommunityType } from '@reemploy/domain';
import { toSimplified } from '@reemploy/domain/script';
import { decodeCursor, inRegions, pageFrom, problems, type Caller } from '@reemploy/http-kit';
import type { RegistrationContext } from '../context.ts';
import type { RegionLevel } from './community-type.ts';
import { childrenOf, findRegion, importedSource, isCommunity, searchRegions, setCommunityType, upsertRegions, type RegionRow } from './repository.ts';
import { regionSearchCursor, type RegionSearchQuery, type RegionSummary, type RegionView } from './schemas.ts';
import { loadRegionTree, regionSource } from './source.ts';


/**
 * Imports the division tree under the configured prefix. Idempotent: a
 * second start with the same prefix and data version changes nothing, and a
 * newer data version updates names without losing type overrides.
 */
export async function importRegions(ctx: RegistrationContext, prefix = ctx.env.REGION_PREFIX): Promise<{ imported: number; skipped: boolean }> {
  const source = regionSource(ctx.env.OLD_CITY_DISTRICTS);
  const done = await importedSource(ctx.db, prefix);
  if (done?.source === source) return { imported: done.nodes, skipped: true };
  const nodes = await loadRegionTree(prefix, ctx.env.OLD_CITY_DISTRICTS);
  await transact(ctx.db, async (trx) => {
    // Two processes starting together import once.
    await sql`select pg_advisory_xact_lock(hashtext('registration.regions-import'))`.execute(trx);
    await upsertRegions(trx, nodes, prefix, source);
  });
  ctx.logger.info({ prefix, nodes: nodes.length, source }, 'regions imported');
  return { imported: nodes.length, skipped: false };
}

export function toSummary(row: RegionRow): RegionSummary {
  const derived = row.derived_community_type as CommunityType | null;
  return {
    code: row.code,
    name: row.name,
    level: row.level as RegionLevel,
    parentCode: row.parent_code,
    kind: row.kind,
    communityType: (row.community_type as CommunityType | null) ?? derived,
    derivedCommunityType: derived,
    communityTypeOverridden: row.community_type !== null,
  };
}

export async function getRegion(ctx: RegistrationContext, code: string): Promise<RegionView> {
  const row = await findRegion(ctx.db, code);
  if (!row) throw problems.notFound(`Region ${code}`);
  const children = await childrenOf(ctx.db, code);
  return { ...toSummary(row), version: row.version, children: children.map(toSummary) };
}

export async function findRegions(ctx: RegistrationContext, q: RegionSearchQuery): Promise<{ items: RegionSummary[]; nextCursor: string | null }> {
  const after = decodeCursor(q.cursor, regionSearchCursor);
  const rows = await searchRegions(ctx.db, {
    simplified: toSimplified(q.q),
    original: q.q,
    limit: q.limit,
    after,
    ...(q.level ? { level: q.level } : {}),
    ...(q.within ? { within: q.within } : {}),
  });
  const { items, nextCursor } = pageFrom(rows, q.limit, (last) => ({ nameLength: last.name_length, code: last.code }));
  return { items: items.map(toSummary), nextCursor };
}

/** Overrides (or, with null, resets) the assessment type of a community in the caller's regions. */
export async function overrideCommunityType(ctx: RegistrationContext, caller: Caller, code: string, type: CommunityType | null, expectVersion: (row: RegionRow) => void) {
  if (!inRegions(caller, code)) throw problems.outsideRegions('params.code');
  return transact(ctx.db, async (trx) => {
    const row = await trx.selectFrom('regions').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
    if (!row) throw problems.notFound(`Region ${code}`);
    expectVersion(row);
    if (row.level !== 'community') throw problems.field('params.code', 'only a community carries an assessment type');
    const updated = await setCommunityType(trx, code, type, row.version);
    if (!updated) throw problems.preconditionFailed();
    return updated;
  });
}

/**
 * A community code the service accepts must be a known community and lie in
 * the caller's regions (403 outside, 400 unknown), checked in that order.
 */
export async function assertCommunity(ctx: RegistrationContext, caller: Caller, code: string, field: string): Promise<void> {
  if (!inRegions(caller, code)) throw problems.outsideRegions(field);
  if (!(await isCommunity(ctx.db, code))) throw problems.field(field, 'is not a known community code');
}
