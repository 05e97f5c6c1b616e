import { transact } from '@reemploy/db';
import { cityDate } from '@reemploy/domain';
import { randomUUID } from 'node:crypto';
import { decodeCursor, inRegions, pageFrom, problems, visiblePrefixes, type Caller, type FieldError } from '@reemploy/http-kit';
import type { JobPostingsContext } from '../context.ts';
import { assertWritable } from '../shared/schemas.ts';
import { lockVacancies } from '../vacancies/repository.ts';
import { attach, findJobFair, insertJobFair, listJobFairs, type JobFairRow } from './repository.ts';
import { jobFairCursor, type CreateJobFairInput, type ListJobFairsQuery } from './schemas.ts';

export async function createJobFair(ctx: JobPostingsContext, caller: Caller, input: CreateJobFairInput, now = new Date()): Promise<JobFairRow> {
  assertWritable(caller, input.communityCode, 'body.communityCode');
  const errors: FieldError[] = [];
  if (input.date < cityDate(now)) errors.push({ field: 'body.date', message: 'must be today or later' });
  if (input.startsAt && input.endsAt && input.startsAt >= input.endsAt) errors.push({ field: 'body.endsAt', message: 'must be after startsAt' });
  if (errors.length) throw problems.validation(errors);
  return insertJobFair(ctx.db, {
    id: randomUUID(),
    name: input.name,
    date: input.date,
    starts_at: input.startsAt ?? null,
    ends_at: input.endsAt ?? null,
    venue: input.venue,
    community_code: input.communityCode,
    target_groups: input.targetGroups,
    organiser: input.organiser ?? null,
    description: input.description ?? null,
    created_by: caller.sub,
  });
}

export async function getJobFair(ctx: JobPostingsContext, caller: Caller, id: string): Promise<JobFairRow> {
  const row = await findJobFair(ctx.db, id);
  if (!row || !inRegions(caller, row.community_code)) throw problems.notFound(`Job fair ${id}`);
  return row;
}

export async function listUpcomingJobFairs(ctx: JobPostingsContext, caller: Caller, q: ListJobFairsQuery, now = new Date()) {
  const prefixes = visiblePrefixes(caller, q.region);
  if (!prefixes.length) return { rows: [] as JobFairRow[], nextCursor: null };
  const after = decodeCursor(q.cursor, jobFairCursor);
  const rows = await listJobFairs(ctx.db, { prefixes, from: q.from ?? cityDate(now), to: q.to, targetGroup: q.targetGroup, after, limit: q.limit });
  const { items, nextCursor } = pageFrom(rows, q.limit, (last) => ({ date: last.date, id: last.id }));
  return { rows: items, nextCursor };
}

/**
 * Attaches open vacancies in the caller's regions to a fair that has not yet taken place;
 * attaching one twice changes nothing.
 */
export async function attachVacancies(ctx: JobPostingsContext, caller: Caller, id: string, vacancyIds: string[], now = new Date()) {
  return transact(ctx.db, async (trx) => {
    const fair = await findJobFair(trx, id);
    if (!fair || !inRegions(caller, fair.community_code)) throw problems.notFound(`Job fair ${id}`);
    if (fair.date < cityDate(now)) throw problems.conflict('The job fair has already taken place');
    // Locked so that a vacancy cannot close between the check and the attachment.
    const rows = new Map((await lockVacancies(trx, vacancyIds)).map((r) => [r.id, r]));
    const errors: FieldError[] = [];
    vacancyIds.forEach((vacancyId, i) => {
      const v = rows.get(vacancyId);
      if (!v || !inRegions(caller, v.community_code)) errors.push({ field: `body.vacancyIds.${i}`, message: 'is not a known vacancy' });
      else if (v.status !== 'open') errors.push({ field: `body.vacancyIds.${i}`, message: `is ${v.status}; only open vacancies can be shown at a fair` });
    });
    if (errors.length) throw problems.validation(errors);
    const attached = await attach(trx, id, vacancyIds, caller.sub);
    return { jobFairId: id, attached, alreadyAttached: vacancyIds.filter((v) => !attached.includes(v)) };
  });
}
