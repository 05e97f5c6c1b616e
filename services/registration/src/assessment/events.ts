import type { Transaction } from 'kysely';
import type { EventHandlers } from '@reemploy/messaging';
import type { RegistrationDB } from '../database.ts';
import type { AssessmentTables } from './tables.ts';

type Trx = Transaction<RegistrationDB>;

async function record(trx: Trx, row: { event_id: string; kind: string; community_code: string; occurred_at: string; quantity: number; aid_base_id?: string | null }) {
  await trx
    .withTables<AssessmentTables>()
    .insertInto('assessment_activity')
    .values({ aid_base_id: null, ...row })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .execute();
}

async function seekerCommunity(trx: Trx, seekerId: string): Promise<string | undefined> {
  const row = await trx.selectFrom('job_seekers').select('community_code').where('id', '=', seekerId).executeTakeFirst();
  return row?.community_code;
}

/**
 * The ledger's figures that other services own: vacancies collected and public-welfare posts (headcount,
 * from job-postings), referrals and placements (from matching), counted per community and month.
 */
export function assessmentEventHandlers(): EventHandlers<RegistrationDB> {
  return {
    'vacancy.created': async (trx, payload, envelope) => {
      const base = { community_code: payload.communityCode, occurred_at: envelope.occurredAt, quantity: payload.headcount };
      await record(trx, { ...base, event_id: envelope.id, kind: payload.kind === 'public-welfare' ? 'public-welfare-posts' : 'vacancies-collected' });
    },
    'referral.created': async (trx, payload, envelope) => {
      const community = await seekerCommunity(trx, payload.seekerId);
      if (community) await record(trx, { event_id: envelope.id, kind: 'referrals', community_code: community, occurred_at: payload.at, quantity: 1 });
    },
    'referral.hired': async (trx, payload, envelope) => {
      const community = await seekerCommunity(trx, payload.seekerId);
      if (community) await record(trx, { event_id: envelope.id, kind: 'placements', community_code: community, occurred_at: payload.at, quantity: 1, aid_base_id: payload.aidBaseId });
    },
  };
}

/** Both modules' handlers; where both handle an event, they run one after the other in its transaction. */
export function mergeHandlers<DB>(first: EventHandlers<DB>, second: EventHandlers<DB>): EventHandlers<DB> {
  const merged: Record<string, unknown> = { ...first };
  for (const [type, handler] of Object.entries(second)) {
    const earlier = merged[type] as ((...args: unknown[]) => Promise<void>) | undefined;
    const later = handler as (...args: unknown[]) => Promise<void>;
    merged[type] = earlier
      ? async (...args: unknown[]) => {
          await earlier(...args);
          await later(...args);
        }
      : later;
  }
  return merged as EventHandlers<DB>;
}
