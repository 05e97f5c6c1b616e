/**
 * The credit each factor gives, in one place so that the documentation, the reasons and
 * the scoring loop agree. All factors are in 0-1.
 */

/** A factor that cannot be judged (no skills required, no desired occupation, unknown wage). */
export const NEUTRAL = 0.5;
/** A required skill the seeker lacks but has a skill of the same family for. */
export const RELATED_SKILL_CREDIT = 0.5;
export const OCCUPATION_CREDIT = { exact: 1, group: 0.6, major: 0.3, none: 0 } as const;
/** Same community, street, district, city, farther. */
export const PROXIMITY_CREDIT = [1, 0.75, 0.5, 0.25, 0] as const;
export const PRIORITY_CREDIT = { reserved: 1, publicWelfare: 0.8, hardship: 0.3, none: 0 } as const;

/** 1 well inside the age limits, a little less at the edge year and the one next to it. */
export function ageFit(age: number, minAge: number, maxAge: number): number {
  const a = age - minAge;
  const b = maxAge - age;
  const d = a < b ? a : b;
  return d >= 2 ? 1 : d === 1 ? 0.9 : 0.8;
}

/** 1 when the post can pay what the seeker expects, then falling to 0 at twice the top of the range. */
export function wageFit(expected: number | null, wageMax: number): number {
  if (expected === null) return NEUTRAL;
  if (expected <= wageMax) return 1;
  const f = 1 - (2 * (expected - wageMax)) / expected;
  return f > 0 ? f : 0;
}

/** Scores compare exactly: rounding away float noise makes ties (and so the order) independent of summation order. */
export function roundScore(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

export function roundFactor(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
