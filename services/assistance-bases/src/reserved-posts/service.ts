import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import { isUniqueViolation, transact } from '@reemploy/db';
import type { EventPayload } from '@reemploy/events';
import { decodeCursor, inRegions, pageFrom, Problem, problems, type Caller } from '@reemploy/http-kit';
import { recordEvent } from '@reemploy/messaging';
import type { HardshipCategory, VacancyStatus } from '@reemploy/domain';
import type { AssistanceBasesContext } from '../context.ts';
import type { AssistanceBasesDB } from '../database.ts';
import type { AidBaseRow } from '../bases/repository.ts';
import {
  findLivePostIdForVacancy,
  findPost,
  findVacancies,
  findVacancy,
  insertPost,
  listPosts,
  updatePost,
  type ReservedPostRow,
  type VacancyRow,
} from './repository.ts';
import type { CreateReservedPostInput, ReservedPostStatus, ReservedPostView, UpdateReservedPostInput } from './schemas.ts';

export function toView(row: ReservedPostRow, vacancy: VacancyRow | undefined): ReservedPostView {
  return {
    id: row.id,
    aidBaseId: row.aid_base_id,
    vacancyId: row.vacancy_id,
    reservedFor: row.reserved_for as HardshipCategory[],
    quota: row.quota,
    filled: row.filled,
    remaining: row.status === 'active' ? Math.max(0, row.quota - row.filled) : 0,
    status: row.status as ReservedPostStatus,
    withdrawnReason: row.withdrawn_reason,
    vacancy: vacancy
      ? {
          title: vacancy.title,
          occupationCode: vacancy.occupation_code,
          communityCode: vacancy.community_code,
          headcount: vacancy.headcount,
          headcountLeft: vacancy.headcount_left,
          status: effectiveStatus(vacancy),
          validUntil: vacancy.valid_until.toISOString(),
        }
      : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function snapshotOf(row: ReservedPostRow): EventPayload<'reserved-post.changed'> {
  return {
    reservedPostId: row.id,
    aidBaseId: row.aid_base_id,
    vacancyId: row.vacancy_id,
    reservedFor: row.reserved_for as HardshipCategory[],
    quota: row.quota,
    filled: row.filled,
    status: row.status as ReservedPostStatus,
  };
}

/** Publishes the post's full state with the change that produced it. */
export async function publishPost(trx: Transaction<AssistanceBasesDB>, row: ReservedPostRow): Promise<void> {
  await recordEvent(trx, 'reserved-post.changed', row.id, snapshotOf(row));
}

/** An open vacancy past its expiry is expired even before job-postings says so. */
function effectiveStatus(v: VacancyRow, now = new Date()): VacancyStatus {
  if (v.status === 'open' && v.valid_until <= now) return 'expired';
  return v.status as VacancyStatus;
}

function vacancyProblem(status: number, code: string, title: string, message: string, extra: Record<string, unknown> = {}): Problem {
  return new Problem(status, code, title, `body.vacancyId: ${message}`, [{ field: 'body.vacancyId', message }], extra);
}

export async function reservePost(ctx: AssistanceBasesContext, caller: Caller, base: AidBaseRow, input: CreateReservedPostInput): Promise<{ row: ReservedPostRow; vacancy: VacancyRow }> {
  const vacancy = await findVacancy(ctx.db, input.vacancyId);
  // A vacancy outside the caller's regions is refused as if it did not exist.
  if (!vacancy || !inRegions(caller, vacancy.community_code)) throw vacancyProblem(422, 'unknown-vacancy', 'Unknown vacancy', 'no such vacancy has been published by job-postings');
  const status = effectiveStatus(vacancy);
  if (status !== 'open') throw vacancyProblem(422, 'vacancy-not-open', 'Vacancy not open', `the vacancy is ${status}; only an open vacancy can be reserved`);
  const existing = await findLivePostIdForVacancy(ctx.db, input.vacancyId);
  const already = (id: string) =>
    vacancyProblem(409, 'duplicate', 'Already exists', 'this vacancy is already reserved; withdraw that post first', { existingId: id });
  if (existing) throw already(existing);
  if (input.quota > vacancy.headcount_left) {
    throw problems.field('body.quota', `must not exceed the vacancy's remaining headcount (${vacancy.headcount_left} of ${vacancy.headcount})`);
  }
  try {
    const row = await transact(ctx.db, async (trx) => {
      const row = await insertPost(trx, {
        id: randomUUID(),
        aid_base_id: base.id,
        vacancy_id: input.vacancyId,
        reserved_for: input.reservedFor,
        quota: input.quota,
        withdrawn_reason: null,
        created_at: new Date(),
      });
      await publishPost(trx, row);
      return row;
    });
    return { row, vacancy };
  } catch (err) {
    if (isUniqueViolation(err)) {
      const id = await findLivePostIdForVacancy(ctx.db, input.vacancyId);
      if (id) throw already(id);
    }
    throw err;
  }
}

/** A post of this base, or 404: another base's post is never revealed. */
export async function getPost(ctx: AssistanceBasesContext, base: AidBaseRow, postId: string): Promise<ReservedPostRow> {
  const row = await findPost(ctx.db, postId);
  if (!row || row.aid_base_id !== base.id) throw problems.notFound(`Reserved post ${postId}`);
  return row;
}

export async function vacancyOf(ctx: AssistanceBasesContext, row: ReservedPostRow): Promise<VacancyRow | undefined> {
  return findVacancy(ctx.db, row.vacancy_id);
}

/**
 * Changes the categories or the quota. The quota may not drop below the
 * placements already made nor exceed them plus the vacancy's remaining
 * headcount; reaching the placements fills the post, raising it reopens it.
 */
export async function changePost(ctx: AssistanceBasesContext, row: ReservedPostRow, input: UpdateReservedPostInput): Promise<ReservedPostRow> {
  if (row.status === 'withdrawn') throw problems.conflict('A withdrawn post cannot be changed; reserve the vacancy again');
  let status = row.status;
  if (input.quota !== undefined) {
    if (input.quota < row.filled) throw problems.field('body.quota', `must be at least the ${row.filled} placements already made`);
    const vacancy = await findVacancy(ctx.db, row.vacancy_id);
    const ceiling = row.filled + (vacancy?.headcount_left ?? 0);
    if (input.quota > ceiling) throw problems.field('body.quota', `must not exceed ${ceiling} (placements made plus the vacancy's remaining headcount)`);
    status = input.quota <= row.filled ? 'filled' : 'active';
  }
  return transact(ctx.db, async (trx) => {
    const updated = await updatePost(trx, row.id, row.version, {
      ...(input.reservedFor ? { reserved_for: input.reservedFor } : {}),
      ...(input.quota !== undefined ? { quota: input.quota } : {}),
      status,
    });
    if (!updated) throw problems.preconditionFailed();
    await publishPost(trx, updated);
    return updated;
  });
}

export async function withdrawPost(ctx: AssistanceBasesContext, row: ReservedPostRow, reason: string | undefined): Promise<ReservedPostRow> {
  if (row.status === 'withdrawn') throw problems.conflict('This post is already withdrawn');
  return transact(ctx.db, async (trx) => {
    const updated = await updatePost(trx, row.id, row.version, { status: 'withdrawn', withdrawn_reason: reason ?? null });
    if (!updated) throw problems.preconditionFailed();
    await publishPost(trx, updated);
    return updated;
  });
}

const cursorShape = z.object({ at: z.iso.datetime(), i: z.uuid() });

export async function listBasePosts(
  ctx: AssistanceBasesContext,
  base: AidBaseRow,
  query: { limit: number; cursor?: string | undefined; status?: ReservedPostStatus | undefined },
): Promise<{ items: ReservedPostView[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, cursorShape);
  const rows = await listPosts(ctx.db, {
    baseId: base.id,
    limit: query.limit + 1,
    ...(query.status ? { status: query.status } : {}),
    ...(after ? { after: { at: after.at, id: after.i } } : {}),
  });
  const page = pageFrom(rows, query.limit, (last) => ({ at: last.created_at.toISOString(), i: last.id }));
  const vacancies = new Map((await findVacancies(ctx.db, [...new Set(page.items.map((r) => r.vacancy_id))])).map((v) => [v.vacancy_id, v]));
  return { items: page.items.map((r) => toView(r, vacancies.get(r.vacancy_id))), nextCursor: page.nextCursor };
}
