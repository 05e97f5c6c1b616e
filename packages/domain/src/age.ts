import type { AgeBand, Gender } from './enums.ts';

/** Whole years between a 'YYYY-MM-DD' birth date and a reference date (UTC calendar days). */
export function ageAt(birthDate: string, at: Date = new Date()): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const ry = at.getUTCFullYear();
  const rm = at.getUTCMonth() + 1;
  const rd = at.getUTCDate();
  return ry - y - (rm < m || (rm === m && rd < d) ? 1 : 0);
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
