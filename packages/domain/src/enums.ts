/** The closed vocabularies of SPEC §3 and §7, shared by every service and event. */

export const HARDSHIP_CATEGORIES = [
  'ZERO_EMPLOYMENT_HOUSEHOLD',
  'DUAL_UNEMPLOYED',
  'DUAL_LAID_OFF',
  'SINGLE_PARENT',
  'OLDER_4050',
  'MINIMUM_LIVELIHOOD',
  'DISABLED',
  'LONG_TERM_UNEMPLOYED',
] as const;
export type HardshipCategory = (typeof HARDSHIP_CATEGORIES)[number];

/** Ordered from least to most schooling; comparisons use the index. */
export const EDUCATION_LEVELS = ['none', 'primary', 'junior-secondary', 'senior-secondary', 'vocational', 'college', 'bachelor', 'postgraduate'] as const;
export type EducationLevel = (typeof EDUCATION_LEVELS)[number];

export function educationRank(level: EducationLevel): number {
  return EDUCATION_LEVELS.indexOf(level);
}

/** Relation to the head of the household (SPEC §7); `spouse` is the head's spouse, other couples are linked by `spouseId`. */
export const RELATIONSHIPS = ['head', 'spouse', 'child', 'child-in-law', 'grandchild', 'parent', 'sibling', 'other'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export const SEEKER_STATUSES = ['unemployed', 'employed', 'flexible', 'withdrawn'] as const;
export type SeekerStatus = (typeof SEEKER_STATUSES)[number];

export const GENDERS = ['male', 'female'] as const;
export type Gender = (typeof GENDERS)[number];

export const AGE_BANDS = ['16-24', '25-34', '35-39', '40-49', '50-59', '60+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const VACANCY_KINDS = ['regular', 'public-welfare', 'flexible'] as const;
export type VacancyKind = (typeof VACANCY_KINDS)[number];

export const VACANCY_SOURCES = ['coordinator', 'employer', 'aid-base', 'job-fair'] as const;
export type VacancySource = (typeof VACANCY_SOURCES)[number];

export const VACANCY_STATUSES = ['open', 'filled', 'closed', 'expired'] as const;
export type VacancyStatus = (typeof VACANCY_STATUSES)[number];

export const COMMUNITY_TYPES = ['old-city', 'new-city', 'town', 'village'] as const;
export type CommunityType = (typeof COMMUNITY_TYPES)[number];

/** Coordinators' own activities, then the nine services of the report. */
export const SERVICE_RECORD_KINDS = [
  'visit',
  'info-collection',
  'network-entry',
  'guidance',
  'unemployment-registration',
  'unemployment-insurance-claim',
  'employment-registration-certificate',
  'reemployment-preferential-certificate',
  'vacancy-information',
  'guidance-and-training-information',
  'policy-consultation',
  'unemployment-period-certification',
  'special-subsidy',
] as const;
export type ServiceRecordKind = (typeof SERVICE_RECORD_KINDS)[number];

export const REFERRAL_OUTCOMES = ['hired', 'rejected', 'no-show', 'declined', 'withdrawn'] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];

/**
 * Statutory retirement schemes (SPEC §3): men's (60 before the 2025 reform), and women's, whose
 * age was 55 (cadres: managerial and technical posts) or 50 (workers).
 */
export const RETIREMENT_SCHEMES = ['male-60', 'female-55', 'female-50'] as const;
export type RetirementScheme = (typeof RETIREMENT_SCHEMES)[number];
