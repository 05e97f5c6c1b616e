import { randomUUID } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import { z } from 'zod';
import type { ServiceRecordKind } from '@reemploy/domain';
import { cursorTimestamp, decodeCursor, encodeCursor, freeTextFor, inRegions, problems, type Caller } from '@reemploy/http-kit';
import type { RegistrationContext } from '../context.ts';
import type { ServiceRecordTable } from '../database.ts';
import { beforeBirth } from '../job-seekers/content.ts';
import type { CreateServiceRecordInput, ListServiceRecordsQuery, ServiceRecordView } from './schemas.ts';

type Row = Selectable<ServiceRecordTable>;

const CLOCK_SKEW_MS = 5 * 60_000;
const cursorShape = z.object({ at: cursorTimestamp, id: z.uuid() });

export function toRecordView(caller: Caller, row: Row): ServiceRecordView {
  return {
    id: row.id,
    seekerId: row.seeker_id,
    communityCode: row.community_code,
    kind: row.kind as ServiceRecordKind,
    at: row.at.toISOString(),
    coordinatorId: row.coordinator_id,
    note: freeTextFor(caller, row.note),
    createdAt: row.created_at.toISOString(),
  };
}

async function findSeeker(ctx: RegistrationContext, caller: Caller, seekerId: string): Promise<{ community_code: string; birth_date: string }> {
  const seeker = await ctx.db.selectFrom('job_seekers').select(['community_code', 'birth_date']).where('id', '=', seekerId).executeTakeFirst();
  if (!seeker || !inRegions(caller, seeker.community_code)) throw problems.notFound(`Job seeker ${seekerId}`);
  return seeker;
}

/** Records a visit, a collection, a network entry, guidance or one of the nine services for a seeker. */
export async function recordService(ctx: RegistrationContext, caller: Caller, seekerId: string, input: CreateServiceRecordInput): Promise<Row> {
  const at = new Date(input.at);
  if (at.getTime() > Date.now() + CLOCK_SKEW_MS) throw problems.field('body.at', 'is in the future');
  const seeker = await findSeeker(ctx, caller, seekerId);
  if (beforeBirth(at, seeker.birth_date)) throw problems.field('body.at', 'is before the person was born');
  return ctx.db
    .insertInto('service_records')
    .values({ id: randomUUID(), seeker_id: seekerId, community_code: seeker.community_code, kind: input.kind, at, coordinator_id: input.coordinatorId, note: input.note ?? null })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listServiceRecords(ctx: RegistrationContext, caller: Caller, seekerId: string, q: ListServiceRecordsQuery) {
  await findSeeker(ctx, caller, seekerId);
  const after = decodeCursor(q.cursor, cursorShape);
  let query = ctx.db.selectFrom('service_records').selectAll().select(sql<string>`at::text`.as('cursor_at')).where('seeker_id', '=', seekerId);
  if (q.kind) query = query.where('kind', '=', q.kind);
  if (after) query = query.where(sql<boolean>`(at, id) > (${after.at}::timestamptz, ${after.id}::uuid)`);
  const rows = await query.orderBy('at').orderBy('id').limit(q.limit + 1).execute();
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page.map((row) => toRecordView(caller, row)), nextCursor: rows.length > q.limit && last ? encodeCursor({ at: last.cursor_at, id: last.id }) : null };
}
