import { keysetPage, transact } from '@reemploy/db';
import { randomUUID } from 'node:crypto';
import { sql, type Selectable, type Transaction } from 'kysely';
import { z } from 'zod';
import { cityDate, type SeekerStatus } from '@reemploy/domain';
import { cursorTimestamp, decodeCursor, inRegions, pageFrom, problems, type Caller } from '@reemploy/http-kit';
import type { RegistrationContext } from '../context.ts';
import type { EmploymentChangeTable, RegistrationDB } from '../database.ts';
import { rederiveFor } from '../hardship/rederive.ts';
import { beforeBirth } from '../job-seekers/content.ts';
import { lockSeeker, updateSeeker, type JobSeekerRow } from '../job-seekers/repository.ts';
import type { EmploymentChangeInput, EmploymentChangeView, EmploymentHistoryQuery } from './schemas.ts';

type Trx = Transaction<RegistrationDB>;
type ChangeRow = Selectable<EmploymentChangeTable>;

const WORKING: ReadonlySet<string> = new Set(['employed', 'flexible']);
/** Clocks differ between systems: a change a few minutes ahead is not "in the future". */
const CLOCK_SKEW_MS = 5 * 60_000;

export function toChangeView(row: ChangeRow): EmploymentChangeView {
  return {
    id: row.id,
    seekerId: row.seeker_id,
    status: row.status as SeekerStatus,
    previousStatus: row.previous_status as SeekerStatus,
    at: row.at.toISOString(),
    vacancyId: row.vacancy_id,
    employerName: row.employer_name,
    referralId: row.referral_id,
    recordedBy: row.recorded_by,
  };
}

interface Change extends EmploymentChangeInput {
  referralId?: string;
  recordedBy: string;
}

/**
 * Applies an employment change inside a transaction: history row, current
 * status, unemployment date, then the household's re-derivation and the
 * seeker.employment-changed event.
 */
export async function applyEmploymentChange(ctx: RegistrationContext, trx: Trx, seeker: JobSeekerRow, change: Change): Promise<{ seeker: JobSeekerRow; change: ChangeRow }> {
  const at = new Date(change.at);
  const working = WORKING.has(change.status);
  const row = await trx
    .insertInto('employment_changes')
    .values({
      id: randomUUID(),
      seeker_id: seeker.id,
      status: change.status,
      previous_status: seeker.status,
      at,
      vacancy_id: working ? (change.vacancyId ?? null) : null,
      employer_name: working ? (change.employerName ?? null) : null,
      referral_id: change.referralId ?? null,
      recorded_by: change.recordedBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const updated = await updateSeeker(trx, seeker.id, {
    status: change.status,
    status_since: at,
    employer_name: working ? (change.employerName ?? null) : null,
    // The date a coordinator in the city writes, not the UTC date of the instant.
    unemployed_since: change.status === 'unemployed' ? (seeker.status === 'unemployed' ? seeker.unemployed_since : cityDate(at)) : null,
  });
  const stored = await rederiveFor(trx, updated, 'seeker.employment-changed', { offerHours: ctx.env.ZERO_EMPLOYMENT_OFFER_HOURS });
  return { seeker: stored, change: row };
}

async function latestChangeAt(trx: Trx, seekerId: string): Promise<Date | undefined> {
  const row = await trx.selectFrom('employment_changes').select('at').where('seeker_id', '=', seekerId).orderBy('at', 'desc').limit(1).executeTakeFirst();
  return row?.at;
}

export async function recordEmploymentChange(ctx: RegistrationContext, caller: Caller, seekerId: string, input: EmploymentChangeInput) {
  const at = new Date(input.at);
  if (at.getTime() > Date.now() + CLOCK_SKEW_MS) throw problems.field('body.at', 'is in the future');
  if (!WORKING.has(input.status) && (input.vacancyId || input.employerName)) {
    throw problems.field(input.vacancyId ? 'body.vacancyId' : 'body.employerName', `does not apply to status ${input.status}`);
  }
  return transact(ctx.db, async (trx) => {
    const seeker = await lockSeeker(trx, seekerId);
    if (!seeker || !inRegions(caller, seeker.community_code)) throw problems.notFound(`Job seeker ${seekerId}`);
    if (beforeBirth(at, seeker.birth_date)) throw problems.field('body.at', 'is before the person was born');
    const latest = await latestChangeAt(trx, seekerId);
    if (latest && at < latest) throw problems.field('body.at', 'is before the last recorded employment change; changes are recorded in order');
    if (input.status === seeker.status && !WORKING.has(input.status)) throw problems.conflict(`The job seeker is already ${input.status}`);
    return applyEmploymentChange(ctx, trx, seeker, { ...input, recordedBy: caller.sub });
  });
}

const historyCursor = z.object({ at: cursorTimestamp, createdAt: cursorTimestamp, id: z.uuid() });

/** A page of a seeker's employment changes, oldest first (by when they took effect, then when recorded). */
export async function employmentHistoryOf(ctx: RegistrationContext, caller: Caller, seekerId: string, q: EmploymentHistoryQuery): Promise<{ rows: ChangeRow[]; nextCursor: string | null }> {
  const seeker = await ctx.db.selectFrom('job_seekers').select('community_code').where('id', '=', seekerId).executeTakeFirst();
  if (!seeker || !inRegions(caller, seeker.community_code)) throw problems.notFound(`Job seeker ${seekerId}`);
  const after = decodeCursor(q.cursor, historyCursor);
  const query = ctx.db
    .selectFrom('employment_changes')
    .selectAll()
    .select([sql<string>`at::text`.as('cursor_at'), sql<string>`created_at::text`.as('cursor_created_at')])
    .where('seeker_id', '=', seekerId);
  const keyset = { columns: [{ ref: 'at', cast: 'timestamptz' }, { ref: 'created_at', cast: 'timestamptz' }, { ref: 'id', cast: 'uuid' }] } as const;
  const found = await keysetPage(query, keyset, after && [after.at, after.createdAt, after.id], q.limit).execute();
  const page = pageFrom(found, q.limit, (last) => ({ at: last.cursor_at, createdAt: last.cursor_created_at, id: last.id }));
  return { rows: page.items.map(({ cursor_at: _at, cursor_created_at: _created, ...row }) => row), nextCursor: page.nextCursor };
}

/** matching reported a hire: the seeker is employed from then on. Idempotent per referral. */
export async function applyReferralHire(ctx: RegistrationContext, trx: Trx, hire: { referralId: string; seekerId: string; vacancyId: string; at: string }) {
  const done = await trx.selectFrom('employment_changes').select('id').where('referral_id', '=', hire.referralId).executeTakeFirst();
  if (done) return;
  const seeker = await lockSeeker(trx, hire.seekerId);
  if (!seeker) {
    ctx.logger.warn({ referralId: hire.referralId }, 'hire for an unknown job seeker ignored');
    return;
  }
  const at = new Date(hire.at);
  const latest = await latestChangeAt(trx, seeker.id);
  if (latest && at < latest) {
    // Reported after later changes took effect (a hire dated back to the interview, say): it belongs to
    // the history, not to the present, which the later changes decide. Its previous status is the one
    // in force just before it.
    const before = await trx.selectFrom('employment_changes').select('status').where('seeker_id', '=', seeker.id).where('at', '<=', at).orderBy('at', 'desc').orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    const first = before ? undefined : await trx.selectFrom('employment_changes').select('previous_status').where('seeker_id', '=', seeker.id).orderBy('at').orderBy('created_at').limit(1).executeTakeFirst();
    await trx
      .insertInto('employment_changes')
      .values({ id: randomUUID(), seeker_id: seeker.id, status: 'employed', previous_status: before?.status ?? first?.previous_status ?? seeker.status, at, vacancy_id: hire.vacancyId, employer_name: null, referral_id: hire.referralId, recorded_by: 'matching' })
      .execute();
    return;
  }
  await applyEmploymentChange(ctx, trx, seeker, { status: 'employed', at: hire.at, vacancyId: hire.vacancyId, referralId: hire.referralId, recordedBy: 'matching' });
}
