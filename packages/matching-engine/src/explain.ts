import { isOccupationCode, isSkillCode, samePrefix } from './codes.ts';
import { NEUTRAL, OCCUPATION_CREDIT, PRIORITY_CREDIT, PROXIMITY_CREDIT, RELATED_SKILL_CREDIT, ageFit, roundFactor, roundScore, wageFit } from './factors.ts';
import { categoryMask } from './hardship.ts';
import { explain, type ReasonFacts } from './reasons.ts';
import type { FactorName, Reason, SeekerInput, VacancyInput } from './types.ts';

/** How one seeker fits one vacancy, factor by factor: the readable twin of the matcher's scoring loop. */
export interface PairFit {
  factors: Record<FactorName, number>;
  facts: ReasonFacts;
}

const REGION_LENGTHS = [12, 9, 6, 4];

/** 0 same community, 1 street, 2 district, 3 city, 4 farther. */
export function proximityLevel(a: string, b: string): number {
  for (let i = 0; i < REGION_LENGTHS.length; i++) if (samePrefix(a, b, REGION_LENGTHS[i]!)) return i;
  return 4;
}

function occupationFit(desired: readonly string[], code: string): ReasonFacts['occupation'] {
  if (desired.length === 0) return 'open';
  if (desired.includes(code)) return 'exact';
  if (!isOccupationCode(code)) return 'none';
  let major = false;
  for (const d of desired) {
    if (!isOccupationCode(d)) continue;
    if (samePrefix(d, code, 4)) return 'group';
    if (d.charCodeAt(0) === code.charCodeAt(0)) major = true;
  }
  return major ? 'major' : 'none';
}

/** Factors (unrounded) and the facts the reasons are written from. */
export function pairFit(seeker: SeekerInput, v: VacancyInput): PairFit {
  const own = seeker.skills;
  let exact = 0;
  let related = 0;
  let required = 0;
  for (let i = 0; i < v.skills.length; i++) {
    const s = v.skills[i]!;
    if (v.skills.indexOf(s) !== i) continue; // a repeated skill counts once
    required++;
    if (own.includes(s)) exact++;
    else if (isSkillCode(s) && own.some((o) => isSkillCode(o) && samePrefix(o, s, 4))) related++;
  }
  const occupation = occupationFit(seeker.desiredOccupations, v.occupationCode);
  const level = proximityLevel(seeker.communityCode, v.communityCode);
  const seekerMask = categoryMask(seeker.hardshipCategories);
  const reservedMask = categoryMask(v.reservedFor);
  const postClass = reservedMask !== 0 || v.aidBase ? 2 : v.kind === 'public-welfare' ? 1 : 0;
  const priority = seekerMask === 0 ? PRIORITY_CREDIT.none
    : postClass === 2 ? PRIORITY_CREDIT.reserved : postClass === 1 ? PRIORITY_CREDIT.publicWelfare : PRIORITY_CREDIT.hardship;
  const age = ageFit(seeker.age, v.minAge, v.maxAge);
  return {
    factors: {
      skills: required === 0 ? NEUTRAL : (exact + related * RELATED_SKILL_CREDIT) / required,
      occupation: occupation === 'open' ? NEUTRAL : OCCUPATION_CREDIT[occupation],
      age,
      wage: wageFit(seeker.expectedMonthlyWage, v.wageMax),
      proximity: PROXIMITY_CREDIT[level]!,
      priority,
    },
    facts: {
      postClass, reservedMask, aidBase: v.aidBase, seekerMask,
      requiredSkills: required, exactSkills: exact, relatedSkills: related, occupation, proximity: level,
      expectedWage: seeker.expectedMonthlyWage, wageMax: v.wageMax, ageNearLimit: age < 1,
    },
  };
}

/** The score of a pair from its factors, summed in the same order as the matcher's loop so both agree to the bit. */
export function scoreOf(f: Record<FactorName, number>, w: Record<FactorName, number>): number {
  return roundScore(w.occupation * f.occupation + w.age * f.age + w.wage * f.wage + w.proximity * f.proximity + w.priority * f.priority + w.skills * f.skills);
}

/** The factor breakdown (rounded for display) and the reasons of a pair. */
export function explainPair(seeker: SeekerInput, v: VacancyInput): { factors: Record<FactorName, number>; reasons: Reason[] } {
  const { factors, facts } = pairFit(seeker, v);
  return {
    factors: {
      skills: roundFactor(factors.skills), occupation: factors.occupation, age: factors.age,
      wage: roundFactor(factors.wage), proximity: factors.proximity, priority: factors.priority,
    },
    reasons: explain(facts),
  };
}
