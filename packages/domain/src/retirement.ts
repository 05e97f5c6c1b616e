/**
 * The statutory retirement date of a person, from the versioned schedule in
 * data/ (SPEC §3): the original age plus one month of delay per step of birth
 * months from the first delayed birth month, up to the target age.
 */
import { addMonths, monthsBetween } from './calendar.ts';
import { RETIREMENT_2025, type RetirementSchemeRule } from './data/retirement-2025.ts';
import type { Gender, RetirementScheme } from './enums.ts';

export const RETIREMENT_SCHEDULE = RETIREMENT_2025;

/**
 * The scheme of a woman whose own is not recorded, unless configured otherwise: the age of women
 * workers (50). The 4050 policy was made for laid-off workers, and women workers retired at 50.
 */
export const DEFAULT_FEMALE_RETIREMENT_SCHEME = 'female-50' satisfies RetirementScheme;

function rule(scheme: RetirementScheme): RetirementSchemeRule {
  return RETIREMENT_SCHEDULE.schemes[scheme];
}

/** Whether a scheme is one of the gender's: male-60 for men, female-* for women. */
export function schemeFits(scheme: RetirementScheme, gender: Gender): boolean {
  return rule(scheme).gender === gender;
}

/** The scheme a person is registered with when none is given. */
export function defaultRetirementScheme(gender: Gender, femaleDefault: RetirementScheme = DEFAULT_FEMALE_RETIREMENT_SCHEME): RetirementScheme {
  return gender === 'male' ? 'male-60' : femaleDefault;
}

/** Months by which the reform delays the retirement of someone born on `birthDate`. */
function retirementDelayMonths(scheme: RetirementScheme, birthDate: string): number {
  const r = rule(scheme);
  const since = monthsBetween(r.firstDelayedBirthMonth, birthDate);
  if (since < 0) return 0;
  return Math.min(r.maxDelayMonths, Math.floor(since / r.birthMonthsPerMonth) + 1);
}

/** The statutory retirement age, in years and months. */
export function retirementAge(scheme: RetirementScheme, birthDate: string): { years: number; months: number } {
  const total = rule(scheme).originalAge * 12 + retirementDelayMonths(scheme, birthDate);
  return { years: Math.floor(total / 12), months: total % 12 };
}

/** The day the person reaches retirement age: the birth date plus that age (the month's last day for a shorter month). */
export function retirementDate(scheme: RetirementScheme, birthDate: string): string {
  return addMonths(birthDate, rule(scheme).originalAge * 12 + retirementDelayMonths(scheme, birthDate));
}
