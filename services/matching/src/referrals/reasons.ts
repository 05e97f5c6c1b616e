/** Why an employer turned a referred seeker down. */
export const REJECTION_REASONS = ['skills-mismatch', 'experience-lacking', 'failed-interview', 'failed-medical', 'position-filled', 'schedule-mismatch', 'other'] as const;

/**
 * Why a seeker declined an offer, and whether local rules accept it. An
 * unjustified decline counts towards the review after two in a year.
 */
export const DECLINE_REASONS = {
  'health': true,
  'family-care': true,
  'commute-too-long': true,
  'wage-below-minimum': true,
  'unsafe-conditions': true,
  'in-training': true,
  'wage-too-low': false,
  'not-interested': false,
  'working-hours': false,
  'other': false,
} as const satisfies Record<string, boolean>;

export type DeclineReason = keyof typeof DECLINE_REASONS;
export const DECLINE_REASON_CODES = Object.keys(DECLINE_REASONS) as DeclineReason[];

/** Unjustified declines in a year after which the seeker's support is reviewed. */
export const DECLINES_BEFORE_REVIEW = 2;
