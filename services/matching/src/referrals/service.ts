import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { freeTextFor, inRegions, Problem, problems, type Caller } from '@reemploy/http-kit';
import { isUniqueViolation, transact } from '@reemploy/db';
import { recordEvent } from '@reemploy/messaging';
import type { HardshipCategory } from '@reemploy/domain';
import type { EventPayload } from '@reemploy/events';
import type { MatchingContext } from '../context.ts';
import type { MatchingDB, ReferralRow } from '../database.ts';
import { inactivity, isActiveSeeker, loadVacancyInput, toSeekerInput } from '../matcher/inputs.ts';
import { hardConstraintFailures } from './constraints.ts';
import { DECLINE_REASONS, DECLINES_BEFORE_REVIEW, REJECTION_REASONS, type DeclineReason } from './reasons.ts';
import * as repo from './repository.ts';
import type { CreateReferralInput, OutcomeInput, ReferralView } from './schemas.ts';

const DAY_MS = 86_400_000;

export async function toView(ctx: MatchingContext, caller: Caller, row: ReferralRow): Promise<ReferralView> {
  const declines = await repo.unjustifiedDeclinesThisYear(ctx.db, row.seeker_id);
  return {
    id: row.id,
    seekerId: row.seeker_id,
    vacancyId: row.vacancy_id,
    referredBy: row.referred_by,
    status: row.status,
    isPriorityOffer: row.is_priority_offer,
    reason: row.reason,
    justified: row.justified,
    note: freeTextFor(caller, row.note),
    createdAt: row.created_at.toISOString(),
    outcomeAt: row.outcome_at?.toISOString() ?? null,
    expiresAt: row.status === 'pending' ? new Date(row.created_at.getTime() + ctx.env.REFERRAL_EXPIRY_DAYS * DAY_MS).toISOString() : null,
    seekerUnjustifiedDeclinesThisYear: declines,
    seekerSupportUnderReview: declines >= DECLINES_BEFORE_REVIEW,
  };
}

/** Refers an active seeker to an open vacancy they are allowed to take. */
export async function createReferral(ctx: MatchingContext, caller: Caller, input: CreateReferralInput): Promise<ReferralRow> {
  const seeker = await ctx.db.selectFrom('seekers').selectAll().where('seeker_id', '=', input.seekerId).executeTakeFirst();
  // A seeker outside the caller's regions answers like an unknown one: the answer must not tell that they exist.
  if (!seeker || !inRegions(caller, seeker.community_code)) throw problems.field('body.seekerId', 'is not a known job seeker in your regions');
  if (!isActiveSeeker(seeker)) throw problems.unprocessable(`The job seeker is not available for work (${inactivity(seeker)})`);
  const vacancyRow = await ctx.db.selectFrom('vacancies').select(['status', 'headcount_left', 'community_code']).where('vacancy_id', '=', input.vacancyId).executeTakeFirst();
  if (!vacancyRow) throw problems.field('body.vacancyId', 'is not a known vacancy');
  const vacancy = await loadVacancyInput(ctx.database.pool, input.vacancyId);
  if (!vacancy) throw problems.conflict(`The vacancy is not open or has no places left (status ${vacancyRow.status}, ${vacancyRow.headcount_left} left)`);
  const failures = hardConstraintFailures(toSeekerInput(seeker), vacancy);
  if (failures.length) {
    throw new Problem(422, 'hard-constraint', 'The seeker may not take this vacancy', failures.join('; '), failures.map((message) => ({ field: 'body.seekerId', message })));
  }
  const existing = await repo.findPendingReferral(ctx.db, input.seekerId, input.vacancyId);
  if (existing) throw problems.duplicate('This seeker already has a pending referral to this vacancy', existing.id);
  try {
    return await transact(ctx.db, async (trx) => {
      const row = await repo.insertReferral(trx, {
        id: randomUUID(),
        seeker_id: seeker.seeker_id,
        vacancy_id: vacancy.id,
        household_id: seeker.household_id,
        community_code: seeker.community_code,
        vacancy_community_code: vacancy.communityCode,
        referred_by: input.referredBy,
        created_by: caller.sub,
        is_priority_offer: vacancy.kind === 'public-welfare' || vacancy.reservedFor.length > 0 || vacancy.aidBase,
      });
      await recordEvent(trx, 'referral.created', row.id, {
        referralId: row.id,
        seekerId: row.seeker_id,
        vacancyId: row.vacancy_id,
        householdId: row.household_id,
        isPriorityOffer: row.is_priority_offer,
        at: row.created_at.toISOString(),
      });
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      const again = await repo.findPendingReferral(ctx.db, input.seekerId, input.vacancyId);
      if (again) throw problems.duplicate('This seeker already has a pending referral to this vacancy', again.id);
    }
    throw err;
  }
}

export async function getReferral(ctx: MatchingContext, caller: Caller, id: string): Promise<ReferralRow> {
  const row = await repo.findReferral(ctx.db, id);
  if (!row || !inRegions(caller, row.community_code)) throw problems.notFound(`Referral ${id}`);
  return row;
}

function checkReason(input: OutcomeInput): { reason: string | null; justified: boolean | null } {
  if (input.outcome === 'rejected') {
    if (!input.reason || !(REJECTION_REASONS as readonly string[]).includes(input.reason)) throw problems.field('body.reason', `must be one of ${REJECTION_REASONS.join(', ')}`);
    return { reason: input.reason, justified: null };
  }
  if (input.outcome === 'declined') {
    if (!input.reason || !Object.hasOwn(DECLINE_REASONS, input.reason)) throw problems.field('body.reason', `must be one of ${Object.keys(DECLINE_REASONS).join(', ')}`);
    return { reason: input.reason, justified: DECLINE_REASONS[input.reason as DeclineReason] };
  }
  // A reason is a code from a list; anything else a caller wants to say goes in the note, which is masked like other free text.
  if (input.reason !== undefined) throw problems.field('body.reason', `is only for rejected and declined outcomes (write anything else in note)`);
  return { reason: null, justified: null };
}

/** The seeker's categories and the active reserved post of the vacancy that is for one of them, if any. */
async function reservedPostOf(trx: Transaction<MatchingDB>, seekerId: string, vacancyId: string) {
  const seeker = await trx.selectFrom('seekers').select('hardship_categories').where('seeker_id', '=', seekerId).executeTakeFirst();
  const categories = (seeker?.hardship_categories ?? []) as HardshipCategory[];
  return { categories, post: await repo.reservedPostFor(trx, vacancyId, categories) };
}

/**
 * The outcome, with where it lies (the seeker's community, the base of the reserved post, looked up
 * unless the caller has it already): webhooks reach only those it concerns.
 */
async function recordOutcomeEvent(trx: Transaction<MatchingDB>, row: ReferralRow, aidBaseId?: string | null) {
  const base = aidBaseId !== undefined ? aidBaseId : ((await reservedPostOf(trx, row.seeker_id, row.vacancy_id)).post?.aid_base_id ?? null);
  await recordEvent(trx, 'referral.outcome-recorded', row.id, {
    referralId: row.id,
    seekerId: row.seeker_id,
    vacancyId: row.vacancy_id,
    outcome: row.status as EventPayload<'referral.outcome-recorded'>['outcome'],
    reason: row.reason,
    at: (row.outcome_at ?? new Date()).toISOString(),
    communityCode: row.community_code,
    aidBaseId: base,
  });
}

/** Records what became of a referral; only a pending one can change. */
export async function recordOutcome(ctx: MatchingContext, caller: Caller, id: string, input: OutcomeInput): Promise<ReferralRow> {
  const current = await getReferral(ctx, caller, id);
  const { reason, justified } = checkReason(input);
  if (current.status !== 'pending') throw problems.conflict(`The referral is already ${current.status}`, { referralStatus: current.status });
  // Past its expiry a referral was left unanswered, whether or not the daily job has run yet: it expires now, as the job would.
  const expiresAt = current.created_at.getTime() + ctx.env.REFERRAL_EXPIRY_DAYS * DAY_MS;
  if (Date.now() >= expiresAt) {
    await transact(ctx.db, async (trx) => {
      const row = await repo.closeReferral(trx, id, { status: 'expired', reason: null, justified: null, note: null, at: new Date() });
      if (row) await recordOutcomeEvent(trx, row);
    });
    throw problems.conflict(`The referral expired unanswered on ${new Date(expiresAt).toISOString()}`, { referralStatus: 'expired' });
  }
  const at = input.at ? new Date(input.at) : new Date();
  if (at.getTime() > Date.now() + 5 * 60_000) throw problems.field('body.at', 'is in the future');
  if (at.getTime() < current.created_at.getTime()) throw problems.field('body.at', 'is before the referral was made');
  return transact(ctx.db, async (trx) => {
    if (input.outcome === 'hired') {
      // The place is taken here, under the row's lock: two hires for the last place cannot both pass, and the
      // next referral or hire sees it gone before job-postings' snapshot of the vacancy comes back.
      const v = await trx.selectFrom('vacancies').select('headcount_left').where('vacancy_id', '=', current.vacancy_id).forUpdate().executeTakeFirst();
      if (!v || v.headcount_left <= 0) throw problems.conflict('The vacancy has no places left');
      await trx.updateTable('vacancies').set((eb) => ({ headcount_left: eb('headcount_left', '-', 1), updated_at: new Date() })).where('vacancy_id', '=', current.vacancy_id).execute();
    }
    const row = await repo.closeReferral(trx, id, { status: input.outcome, reason, justified, note: input.note ?? null, at });
    if (!row) throw problems.conflict('The referral is no longer pending');
    const { categories, post } = await reservedPostOf(trx, row.seeker_id, row.vacancy_id);
    await recordOutcomeEvent(trx, row, post?.aid_base_id ?? null);
    if (row.status === 'hired') {
      const vacancy = await trx.selectFrom('vacancies').select('employer_id').where('vacancy_id', '=', row.vacancy_id).executeTakeFirst();
      await recordEvent(trx, 'referral.hired', row.id, {
        referralId: row.id,
        seekerId: row.seeker_id,
        vacancyId: row.vacancy_id,
        householdId: row.household_id,
        employerId: vacancy?.employer_id ?? null,
        hardshipCategories: categories,
        aidBaseId: post?.aid_base_id ?? null,
        reservedPostId: post?.reserved_post_id ?? null,
        at: at.toISOString(),
      });
      for (const other of await repo.withdrawOtherPending(trx, row.seeker_id, row.id, at)) await recordOutcomeEvent(trx, other);
    }
    return row;
  });
}

/**
 * Expires referrals left unanswered for REFERRAL_EXPIRY_DAYS, in batches,
 * each with its event. Run daily; running it twice expires nothing twice.
 */
export async function expireReferrals(ctx: MatchingContext, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - ctx.env.REFERRAL_EXPIRY_DAYS * DAY_MS);
  let total = 0;
  for (;;) {
    const expired = await transact(ctx.db, async (trx) => {
      const rows = await repo.expirePending(trx, cutoff, now, 500);
      for (const row of rows) await recordOutcomeEvent(trx, row);
      return rows.length;
    });
    total += expired;
    if (expired < 500) return total;
  }
}
