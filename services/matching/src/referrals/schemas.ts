import { z } from 'zod';
import { DECLINE_REASON_CODES, REJECTION_REASONS } from './reasons.ts';

export const OUTCOMES = ['hired', 'rejected', 'no-show', 'declined', 'withdrawn'] as const;
export const REFERRAL_STATUSES = ['pending', ...OUTCOMES, 'expired'] as const;

export const createReferralBody = z
  .strictObject({
    seekerId: z.uuid(),
    vacancyId: z.uuid(),
    referredBy: z.string().trim().min(1).max(100).describe('The coordinator or office making the referral'),
  })
  .meta({ id: 'CreateReferral' });

export const outcomeBody = z
  .strictObject({
    outcome: z.enum(OUTCOMES),
    reason: z
      .string()
      .max(60)
      .optional()
      .describe(`Required for rejected (${REJECTION_REASONS.join(', ')}) and declined (${DECLINE_REASON_CODES.join(', ')}); refused for the other outcomes (use note)`),
    at: z.iso.datetime({ offset: true }).optional().describe('When it happened (default: now)'),
    note: z.string().max(500).optional(),
  })
  .meta({ id: 'ReferralOutcome' });

export const referralView = z
  .object({
    id: z.uuid(),
    seekerId: z.uuid(),
    vacancyId: z.uuid(),
    referredBy: z.string(),
    status: z.enum(REFERRAL_STATUSES),
    isPriorityOffer: z.boolean().describe('A public-welfare or reserved post: stops a zero-employment household’s clock'),
    reason: z.string().nullable(),
    justified: z.boolean().nullable().describe('For declines: whether local rules accept the reason'),
    note: z.string().nullable(),
    createdAt: z.string(),
    outcomeAt: z.string().nullable(),
    expiresAt: z.string().nullable().describe('When a pending referral expires unanswered'),
    seekerUnjustifiedDeclinesThisYear: z.int(),
    seekerSupportUnderReview: z.boolean().describe('Two or more unjustified declines this year'),
  })
  .meta({ id: 'Referral' });

export type CreateReferralInput = z.infer<typeof createReferralBody>;
export type OutcomeInput = z.infer<typeof outcomeBody>;
export type ReferralView = z.infer<typeof referralView>;
