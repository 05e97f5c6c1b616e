import type { Transaction } from 'kysely';
import type { EventPayload } from '@reemploy/events';
import type { Logger } from 'pino';
import type { JobPostingsDB } from '../database.ts';
import { publishVacancy } from './events.ts';
import { lockVacancies, updateVacancy } from './repository.ts';

/**
 * A hire takes one post: once per referral, whichever envelope carries it (the
 * platform's inbox dedupes envelopes, the hire's primary key dedupes referrals).
 * The vacancy is filled when no post is left.
 */
export async function applyHire(trx: Transaction<JobPostingsDB>, hire: EventPayload<'referral.hired'>, logger: Logger): Promise<void> {
  const [vacancy] = await lockVacancies(trx, [hire.vacancyId]);
  if (!vacancy) {
    logger.warn({ vacancyId: hire.vacancyId, referralId: hire.referralId }, 'hire for a vacancy this service does not hold; ignored');
    return;
  }
  const recorded = await trx
    .insertInto('vacancy_hires')
    .values({ referral_id: hire.referralId, vacancy_id: hire.vacancyId, seeker_id: hire.seekerId, hired_at: hire.at })
    .onConflict((oc) => oc.column('referral_id').doNothing())
    .returning('referral_id')
    .executeTakeFirst();
  if (!recorded) return;
  const left = Math.max(vacancy.headcount_left - 1, 0);
  const fills = vacancy.status === 'open' && left === 0;
  const updated = await updateVacancy(trx, vacancy.id, {
    headcount_left: left,
    ...(fills ? { status: 'filled', status_reason: 'every post filled by hires', closed_at: new Date() } : {}),
  });
  await publishVacancy(trx, updated, 'updated');
}
