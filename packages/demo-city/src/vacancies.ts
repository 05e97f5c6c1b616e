import type { EducationLevel, HardshipCategory, VacancyKind, VacancySource } from '@reemploy/domain';
import type { VacancyInput } from '@reemploy/matching-engine';
import type { Occupation } from '@reemploy/taxonomy';
import { generateEmployer, type DemoEmployer } from './employers.ts';
import { Random } from './random.ts';
import type { Community } from './regions.ts';
import { PUBLIC_WELFARE_OCCUPATIONS } from './sectors.ts';

/** The vacancy body (SPEC §7); `employerId` is the demo employer's key until the loader maps it. */
export interface VacancyRegistration {
  employerId: string;
  title: string;
  occupationCode: string;
  skills: string[];
  minAge: number;
  maxAge: number;
  educationMin: EducationLevel;
  wageMin: number;
  wageMax: number;
  headcount: number;
  communityCode: string;
  kind: VacancyKind;
  source: VacancySource;
  reservedFor: HardshipCategory[];
  validUntil: string;
}

export interface DemoVacancy {
  key: string;
  index: number;
  employerIndex: number;
  /** Position (0-28) of the re-employment assistance base reserving the post, for aid-base posts. */
  aidBaseIndex: number | null;
  registration: VacancyRegistration;
  engine: VacancyInput;
}

export const AID_BASE_COUNT = 29;
/** The assistance bases are in 姑苏区 (the old city). */
export const AID_BASE_DISTRICT = '320508';

const RESERVATIONS: readonly (readonly [HardshipCategory[], number])[] = [
  [['ZERO_EMPLOYMENT_HOUSEHOLD'], 3],
  [['ZERO_EMPLOYMENT_HOUSEHOLD', 'DUAL_UNEMPLOYED', 'DUAL_LAID_OFF'], 2],
  [['SINGLE_PARENT'], 2],
  [['OLDER_4050'], 3],
  [['DISABLED'], 1],
  [['MINIMUM_LIVELIHOOD', 'LONG_TERM_UNEMPLOYED'], 1],
];

function roundTo(x: number, step: number): number {
  return Math.round(x / step) * step;
}

function postSkills(rng: Random, occupation: Occupation): string[] {
  if (occupation.skills.length === 0 || rng.chance(0.1)) return [];
  return rng.sample(occupation.skills, Math.min(occupation.skills.length, rng.weighted([[1, 2], [2, 4], [3, 3], [4, 1]] as const)));
}

export interface VacancyContext {
  seed: string | number;
  at: Date;
  communities: readonly Community[];
  streets: readonly { code: string; communities: Community[] }[];
  /** Communities of the old city, where the assistance bases are. */
  oldCity: readonly Community[];
  employerCount: number;
}

/**
 * Vacancy number `index`: 5% community public-welfare posts (older age limits, half
 * reserved for hardship groups), 1.5% posts reserved by an assistance base, 8% flexible
 * work, the rest regular posts of the employer's sector.
 */
export function generateVacancy(ctx: VacancyContext, index: number, employerCache?: Map<number, DemoEmployer>): DemoVacancy {
  const rng = Random.stream(ctx.seed, 'vacancy', index);
  const key = rng.uuid(index);
  const type = rng.weighted([['public-welfare', 5], ['aid-base', 1.5], ['flexible', 8], ['regular', 85.5]] as const);
  const streetCount = ctx.streets.length;
  const employerIndex = type === 'public-welfare' ? rng.int(0, streetCount - 1) : rng.int(streetCount, Math.max(streetCount, ctx.employerCount - 1));
  let employer = employerCache?.get(employerIndex);
  if (!employer) {
    employer = generateEmployer(ctx.seed, employerIndex, ctx.communities, ctx.streets);
    employerCache?.set(employerIndex, employer);
  }
  const sector = employer.sector;
  let occupation: Occupation;
  let communityCode = employer.registration.communityCode;
  let reservedFor: HardshipCategory[] = [];
  let minAge = rng.chance(0.8) ? 18 : 16;
  let maxAge = rng.weighted(sector.maxAges);
  let educationMin = rng.weighted(sector.educationMin);
  let wage: readonly [number, number] = sector.wage;
  let aidBaseIndex: number | null = null;
  if (type === 'public-welfare') {
    occupation = rng.pick(PUBLIC_WELFARE_OCCUPATIONS.length > 0 ? PUBLIC_WELFARE_OCCUPATIONS : sector.occupations);
    communityCode = rng.pick(ctx.streets[employerIndex]!.communities).code;
    if (rng.chance(0.5)) reservedFor = rng.weighted(RESERVATIONS);
    minAge = rng.pick([18, 30, 35, 40]);
    maxAge = rng.pick([55, 58, 60]);
    educationMin = rng.pick(['none', 'primary'] as const);
    wage = [2490, 3600];
  } else {
    occupation = rng.pick(sector.occupations);
    if (type === 'aid-base') {
      aidBaseIndex = rng.int(0, AID_BASE_COUNT - 1);
      if (ctx.oldCity.length > 0) communityCode = ctx.oldCity[(aidBaseIndex * 7) % ctx.oldCity.length]!.code;
      reservedFor = rng.weighted(RESERVATIONS);
      maxAge = Math.max(maxAge, 55);
    }
  }
  const wageMin = roundTo(wage[0] + rng.next() * (wage[1] - wage[0]) * 0.6, 100);
  const wageMax = Math.max(wageMin + 300, roundTo(wageMin + 300 + rng.next() * (wage[1] - wage[0]) * 0.6, 100));
  const headcount = rng.weighted([[1, 45], [2, 20], [rng.int(3, 5), 25], [rng.int(6, 20), 10]] as const);
  const kind: VacancyKind = type === 'public-welfare' ? 'public-welfare' : type === 'flexible' ? 'flexible' : 'regular';
  const source: VacancySource = type === 'aid-base' ? 'aid-base' : type === 'public-welfare' ? 'coordinator' : rng.weighted([['employer', 5], ['coordinator', 3], ['job-fair', 2]] as const);
  const skills = postSkills(rng, occupation);
  const validUntil = new Date(ctx.at.getTime() + rng.int(30, 120) * 86_400_000).toISOString();
  const registration: VacancyRegistration = {
    employerId: employer.key,
    title: occupation.nameZh + (kind === 'public-welfare' ? '（公益性岗位）' : kind === 'flexible' ? '（灵活就业）' : ''),
    occupationCode: occupation.code, skills, minAge, maxAge, educationMin, wageMin, wageMax, headcount, communityCode, kind, source, reservedFor, validUntil,
  };
  return {
    key, index, employerIndex, aidBaseIndex, registration,
    engine: {
      id: key, occupationCode: occupation.code, skills, minAge, maxAge, educationMin, wageMin, wageMax, headcountLeft: headcount,
      communityCode, kind, reservedFor, aidBase: aidBaseIndex !== null,
    },
  };
}
