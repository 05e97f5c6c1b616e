import type { AgeBand, Gender } from './enums.ts';

/** Whole years between a 'YYYY-MM-DD' birth date and a reference date (UTC calendar days). */
export function ageAt(birthDate: string, at: Date = new Date()): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const ry = at.getUTCFullYear();
  const rm = at.getUTCMonth() + 1;
  const rd = at.getUTCDate();
  return ry - y - (rm < m || (rm === m && rd < d) ? 1 : 0);
}

/**
 * The latest birth date at which a person is `age` at the reference date (ageAt's calendar): the
 * reference date `age` years back (29 February falling on the 28th). Anyone who sees the age can
 * work it out, so a rule checked against it reveals nothing finer than the age.
 */
export function latestBirthDate(age: number, at: Date = new Date()): string {
  const month = at.getUTCMonth();
  const date = new Date(Date.UTC(at.getUTCFullYear() - age, month, at.getUTCDate()));
  if (date.getUTCMonth() !== month) date.setUTCDate(0);
  return date.toISOString().slice(0, 10);
}

export function ageBand(age: number): AgeBand {
  if (age < 25) return '16-24';
  if (age < 35) return '25-34';
  if (age < 40) return '35-39';
  if (age < 50) return '40-49';
  if (age < 60) return '50-59';
  return '60+';
}

/** The 4050 policy group (大齡): women 40 and over, men 50 and over. */
export function isOlder4050(gender: Gender, age: number): boolean {
  return age >= (gender === 'female' ? 40 : 50);
}
