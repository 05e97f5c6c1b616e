import { addMonths, cityDate } from './calendar.ts';
import type { AgeBand, Gender, RetirementScheme } from './enums.ts';
import { retirementDate } from './retirement.ts';

/** Working age begins at 16 (and so does registration). */
export const MINIMUM_WORKING_AGE = 16;

/** What the age rules read of a person. */
export interface AgedPerson {
  gender: Gender;
  birthDate: string;
  retirementScheme: RetirementScheme;
}

/** Whole years between a 'YYYY-MM-DD' birth date and a calendar date (by default the city's today). */
export function ageAt(birthDate: string, date: string = cityDate()): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const [ry, rm, rd] = date.split('-').map(Number) as [number, number, number];
  return ry - y - (rm < m || (rm === m && rd < d) ? 1 : 0);
}

/**
 * The latest birth date at which a person is `age` at the reference date (ageAt's calendar): the
 * reference date `age` years back (29 February falling on the 28th). Anyone who sees the age can
 * work it out, so a rule checked against it reveals nothing finer than the age.
 */
export function latestBirthDate(age: number, date: string = cityDate()): string {
  return addMonths(date, -12 * age);
}

export function ageBand(age: number): AgeBand {
  if (age < 25) return '16-24';
  if (age < 35) return '25-34';
  if (age < 40) return '35-39';
  if (age < 50) return '40-49';
  if (age < 60) return '50-59';
  return '60+';
}

/** Before the retirement date: the day itself is the first day of retirement. */
function beforeRetirement(p: AgedPerson, date: string): boolean {
  return date < retirementDate(p.retirementScheme, p.birthDate);
}

/** Working age (劳动年龄): from 16 until the day before the statutory retirement date. */
export function isWorkingAge(p: AgedPerson, date: string): boolean {
  return ageAt(p.birthDate, date) >= MINIMUM_WORKING_AGE && beforeRetirement(p, date);
}

/** The 4050 policy group (大龄): women from 40 and men from 50, until their retirement date. */
export function isOlder4050(p: AgedPerson, date: string): boolean {
  return ageAt(p.birthDate, date) >= (p.gender === 'female' ? 40 : 50) && beforeRetirement(p, date);
}
