import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '@reemploy/db';
import { cityYear } from '@reemploy/domain';
import { decodeCursor, inRegions, pageFrom, Problem, problems, visiblePrefixes, type Caller } from '@reemploy/http-kit';
import { z } from 'zod';
import type { AssistanceBasesContext } from '../context.ts';
import { assertCityCaller, canSeeBase } from '../tenancy.ts';
import { figuresFor, type BaseFigures } from './figures.ts';
import { findBaseById, findBaseIdByName, insertBase, listBases, updateBase, type AidBaseRow } from './repository.ts';
import type { AidBaseCohort, AidBaseView, CreateAidBaseInput, UpdateAidBaseInput } from './schemas.ts';

export function toView(row: AidBaseRow, figures: BaseFigures): AidBaseView {
  return {
    id: row.id,
    name: row.name,
    communityCode: row.community_code,
    address: row.address,
    sectors: row.sectors,
    joinedYear: row.joined_year,
    cohort: row.cohort as AidBaseCohort,
    ...figures,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function viewOf(ctx: AssistanceBasesContext, row: AidBaseRow): Promise<AidBaseView> {
  const figures = await figuresFor(ctx.db, [row.id]);
  return toView(row, figures.get(row.id)!);
}

/** A second base of the same name: a 409 naming the first, unless the caller may not see it. */
async function duplicateName(ctx: AssistanceBasesContext, caller: Caller, name: string, id: string): Promise<Problem> {
  const row = await findBaseById(ctx.db, id);
  if (row && canSeeBase(caller, row)) return problems.duplicate(`A base named ${name} is already registered`, id);
  return new Problem(409, 'duplicate', 'Already exists', `A base named ${name} is already registered outside your regions`);
}

/** Registers a base; a second base of the same name is a 409 naming the first. */
export async function registerBase(ctx: AssistanceBasesContext, caller: Caller, input: CreateAidBaseInput, field = (f: string) => `body.${f}`): Promise<AidBaseRow> {
  assertCityCaller(caller);
  if (!inRegions(caller, input.communityCode)) throw problems.outsideRegions(field('communityCode'));
  const existing = await findBaseIdByName(ctx.db, input.name);
  if (existing) throw await duplicateName(ctx, caller, input.name, existing);
  try {
    return await insertBase(ctx.db, {
      id: randomUUID(),
      name: input.name,
      community_code: input.communityCode,
      address: input.address,
      sectors: input.sectors,
      joined_year: input.joinedYear ?? cityYear(),
      cohort: input.cohort,
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      const id = await findBaseIdByName(ctx.db, input.name);
      if (id) throw await duplicateName(ctx, caller, input.name, id);
    }
    throw err;
  }
}

export async function getBase(ctx: AssistanceBasesContext, caller: Caller, id: string): Promise<AidBaseRow> {
  const row = await findBaseById(ctx.db, id);
  // Another base's record, or one outside the caller's regions, reads as absent.
  if (!row || !canSeeBase(caller, row)) throw problems.notFound(`Aid base ${id}`);
  return row;
}

/** What a base's own staff may change about their base; the rest is the bureau's record. */
const BASE_EDITABLE = new Set(['address', 'sectors']);

export async function changeBase(ctx: AssistanceBasesContext, caller: Caller, row: AidBaseRow, input: UpdateAidBaseInput): Promise<AidBaseRow> {
  if (caller.aidBase) {
    const locked = Object.keys(input).find((k) => !BASE_EDITABLE.has(k));
    if (locked) throw problems.forbidden(`body.${locked} can only be changed by the city's officers`);
  }
  if (input.communityCode !== undefined && !inRegions(caller, input.communityCode)) throw problems.outsideRegions('body.communityCode');
  if (input.name !== undefined) {
    const other = await findBaseIdByName(ctx.db, input.name);
    if (other && other !== row.id) throw await duplicateName(ctx, caller, input.name, other);
  }
  try {
    const updated = await updateBase(ctx.db, row.id, row.version, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.communityCode !== undefined ? { community_code: input.communityCode } : {}),
      ...(input.address !== undefined ? { address: input.address } : {}),
      ...(input.sectors !== undefined ? { sectors: input.sectors } : {}),
      ...(input.joinedYear !== undefined ? { joined_year: input.joinedYear } : {}),
      ...(input.cohort !== undefined ? { cohort: input.cohort } : {}),
    });
    if (!updated) throw problems.preconditionFailed();
    return updated;
  } catch (err) {
    if (isUniqueViolation(err) && input.name) {
      const id = await findBaseIdByName(ctx.db, input.name);
      if (id) throw await duplicateName(ctx, caller, input.name, id);
    }
    throw err;
  }
}

// `p` is compared with a Postgres int: a larger one is a forged cursor, not a 500.
const cursorShape = z.object({ p: z.int32().min(0), n: z.string(), i: z.uuid() });

export async function listVisibleBases(
  ctx: AssistanceBasesContext,
  caller: Caller,
  query: { limit: number; cursor?: string | undefined; regionCode?: string | undefined; cohort?: AidBaseCohort | undefined; sort: 'name' | 'placements' },
): Promise<{ items: AidBaseView[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, cursorShape);
  const prefixes = visiblePrefixes(caller, query.regionCode);
  const rows = await listBases(ctx.db, {
    prefixes,
    limit: query.limit + 1,
    sort: query.sort,
    ...(caller.aidBase ? { onlyBase: caller.aidBase } : {}),
    ...(query.cohort ? { cohort: query.cohort } : {}),
    ...(after ? { after: { placed: after.p, name: after.n, id: after.i } } : {}),
  });
  const page = pageFrom(rows, query.limit, (last) => ({ p: last.placed, n: last.name, i: last.id }));
  const figures = await figuresFor(ctx.db, page.items.map((r) => r.id));
  return { items: page.items.map(({ placed: _placed, ...r }) => toView(r, figures.get(r.id)!)), nextCursor: page.nextCursor };
}
