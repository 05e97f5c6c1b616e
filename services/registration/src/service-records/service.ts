import { randomUUID } from 'node:crypto';
import type { ServiceRecordKind } from '@reemploy/domain';
import { decodeCursor, freeTextFor, inRegions, pageFrom, problems, timeCursor, type Caller } from '@reemploy/http-kit';
import type { RegistrationContext } from '../context.ts';
import { beforeBirth } from '../job-seekers/content.ts';
import { findSeekerForRecord, insertServiceRecord, listRecordsOf, type ServiceRecordRow } from './repository.ts';
import type { CreateServiceRecordInput, ListServiceRecordsQuery, ServiceRecordView } from './schemas.ts';

type Row = ServiceRecordRow;

const CLOCK_SKEW_MS = 5 * 60_000;

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
  const seeker = await findSeekerForRecord(ctx.db, seekerId);
  if (!seeker || !inRegions(caller, seeker.community_code)) throw problems.notFound(`Job seeker ${seekerId}`);
  return seeker;
}

/** Records a visit, a collection, a network entry, guidance or one of the nine services for a seeker. */
export async function recordService(ctx: RegistrationContext, caller: Caller, seekerId: string, input: CreateServiceRecordInput): Promise<Row> {
  const at = new Date(input.at);
  if (at.getTime() > Date.now() + CLOCK_SKEW_MS) throw problems.field('body.at', 'is in the future');
  const seeker = await findSeeker(ctx, caller, seekerId);
  if (beforeBirth(at, seeker.birth_date)) throw problems.field('body.at', 'is before the person was born');
  return insertServiceRecord(ctx.db, { id: randomUUID(), seeker_id: seekerId, community_code: seeker.community_code, kind: input.kind, at, coordinator_id: input.coordinatorId, note: input.note ?? null });
}

export async function listServiceRecords(ctx: RegistrationContext, caller: Caller, seekerId: string, q: ListServiceRecordsQuery) {
  await findSeeker(ctx, caller, seekerId);
  const after = decodeCursor(q.cursor, timeCursor);
  const rows = await listRecordsOf(ctx.db, { seekerId, kind: q.kind, after, limit: q.limit });
  const { items, nextCursor } = pageFrom(rows, q.limit, (last) => ({ at: last.cursor_at, id: last.id }));
  return { items: items.map((row) => toRecordView(caller, row)), nextCursor };
}
