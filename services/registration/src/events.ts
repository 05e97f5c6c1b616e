import type { EventHandlers } from '@reemploy/messaging';
import type { RegistrationContext } from './context.ts';
import type { RegistrationDB } from './database.ts';
import { applyReferralHire } from './employment/service.ts';
import { recordOffer } from './escalations/repository.ts';

/** What registration does with matching's events (the platform dedupes them by id). */
export function registrationEventHandlers(ctx: RegistrationContext): EventHandlers<RegistrationDB> {
  return {
    'referral.created': async (trx, payload) => {
      if (!payload.isPriorityOffer) return;
      const householdId =
        payload.householdId ?? (await trx.selectFrom('job_seekers').select('household_id').where('id', '=', payload.seekerId).executeTakeFirst())?.household_id;
      if (householdId) await recordOffer(trx, householdId, new Date(payload.at));
    },
    'referral.hired': async (trx, payload) => {
      await applyReferralHire(ctx, trx, payload);
    },
  };
}
