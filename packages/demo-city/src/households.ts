import type { EducationLevel, Gender, HardshipCategory, Relationship, RetirementScheme } from '@reemploy/domain';
import { addDays, cityDate, educationRank } from '@reemploy/domain';
import { deriveHardship, type HardshipMember } from '@reemploy/domain/hardship';
import type { SeekerInput } from '@reemploy/matching-engine';
import { chineseName, education, identity, mobilePhone, retirementScheme, seekerAge } from './people.ts';
import { Random } from './random.ts';
import type { Community } from './regions.ts';
import { SECTOR_WEIGHTS, type Sector } from './sectors.ts';

/** The job-seeker registration body (SPEC §7); the loader adds `householdId` once the household exists. */
export interface SeekerRegistration {
  idNumber: string;
  name: string;
  phone?: string;
  communityCode: string;
  relationship: Relationship;
  education: EducationLevel;
  skills: string[];
  desiredOccupations: string[];
  expectedMonthlyWage?: number;
  ableToWork: boolean;
  willingToWork: boolean;
  laidOff: boolean;
  minimumLivelihood: boolean;
  disabled: boolean;
  unemployedSince: string;
  /** Given for women (men have one scheme). */
  retirementScheme?: RetirementScheme;
  ownMinorChildren?: number;
  raisingAlone?: boolean;
}

/** The household body (SPEC §7). */
export interface HouseholdRegistration {
  communityCode: string;
  singleParent: boolean;
  minorChildren: number;
  otherEmployedMembers: number;
  /** 低保: held by the household with its certificate, so every member holds the category. */
  minimumLivelihood: { certificateNumber: string; since: string } | null;
}

export interface DemoSeeker {
  /** Stable id of this seeker in the demo city (the engine's `SeekerInput.id`). */
  key: string;
  householdKey: string;
  gender: Gender;
  birthDate: string;
  retirementScheme: RetirementScheme;
  /** The key of the spouse, on the later of the two members (a loader names the spouse once registered). */
  spouseKey?: string;
  registration: SeekerRegistration;
  engine: SeekerInput;
}

export interface DemoHousehold {
  key: string;
  index: number;
  kind: HouseholdKind;
  registration: HouseholdRegistration;
  hardshipCategories: HardshipCategory[];
  members: DemoSeeker[];
}

/**
 * `three-generations`: the head (retired, not a job seeker) with a son or daughter and their spouse,
 * both registered, and sometimes the head's spouse; `single-parent-with-parents`: a single parent
 * living in their parents' household (recorded as the head's child), raising a child alone.
 */
export type HouseholdKind = 'single' | 'couple-one-registered' | 'couple-both-registered' | 'single-parent' | 'parent-and-child' | 'three-generations' | 'single-parent-with-parents';

const KINDS: readonly (readonly [HouseholdKind, number])[] = [
  ['single', 44], ['couple-one-registered', 23], ['couple-both-registered', 12], ['single-parent', 6], ['parent-and-child', 9],
  ['three-generations', 4], ['single-parent-with-parents', 2],
];
/** Chance that nobody else in the household works, by kind: most registered unemployed live with an earner. */
const NOBODY_ELSE_WORKS: Record<HouseholdKind, number> = {
  single: 0.03, 'couple-one-registered': 0.02, 'couple-both-registered': 0.12, 'single-parent': 0.25, 'parent-and-child': 0.1,
  'three-generations': 0.2, 'single-parent-with-parents': 0.3,
};
/** Person slots per household: the identity-number scheme gives each household this many. */
export const SLOTS_PER_HOUSEHOLD = 4;

interface Person {
  gender: Gender;
  scheme: RetirementScheme;
  age: number;
  relationship: Relationship;
  /** The index among the household's people of the spouse this one names (the earlier of the two). */
  spouseOf?: number;
  ownMinorChildren?: number;
  raisingAlone?: boolean;
}

function workProfile(rng: Random, edu: EducationLevel): { skills: string[]; desired: string[]; sector: Sector } {
  const schooled = educationRank(edu) >= educationRank('senior-secondary');
  const sectors = SECTOR_WEIGHTS.filter(([s]) => schooled || (s.key !== 'office' && s.key !== 'professional'));
  const sector = rng.weighted(sectors);
  if (rng.chance(0.04)) return { skills: [], desired: rng.chance(0.5) ? [rng.pick(sector.occupations).code] : [], sector };
  const past = rng.pick(sector.occupations);
  const skills = new Set(rng.sample(past.skills, Math.min(past.skills.length, rng.int(2, 4))));
  if (rng.chance(0.3)) {
    const other = rng.pick(sector.occupations);
    if (other.skills.length > 0) skills.add(rng.pick(other.skills));
  }
  const desired = new Set<string>();
  if (rng.chance(0.75)) desired.add(past.code);
  const sameGroup = sector.occupations.filter((o) => o.code.startsWith(past.code.slice(0, 4)));
  for (let i = rng.int(0, 2); i > 0; i--) desired.add(rng.pick(rng.chance(0.6) ? sameGroup : sector.occupations).code);
  if (desired.size === 0 && rng.chance(0.9)) desired.add(past.code);
  return { skills: [...skills], desired: [...desired], sector };
}

function expectedWage(rng: Random, sector: Sector, edu: EducationLevel): number | null {
  if (rng.chance(0.15)) return null;
  const mid = (sector.wage[0] + sector.wage[1]) / 2;
  const premium = 1 + Math.max(0, educationRank(edu) - educationRank('senior-secondary')) * 0.08;
  return Math.max(2500, Math.round((mid * premium * (0.8 + rng.next() * 0.45)) / 100) * 100);
}

function unemployedSince(rng: Random, at: Date): string {
  const months = rng.weighted([[[1, 5], 45], [[6, 11], 25], [[12, 36], 30]] as const);
  return addDays(cityDate(at), -rng.int(months[0] * 30, months[1] * 30 + 29));
}

function people(rng: Random, kind: HouseholdKind): Person[] {
  const headGender: Gender = kind === 'single-parent' ? (rng.chance(0.75) ? 'female' : 'male') : rng.chance(0.5) ? 'female' : 'male';
  const other: Gender = headGender === 'male' ? 'female' : 'male';
  const person = (gender: Gender, age: (scheme: RetirementScheme) => number, relationship: Relationship): Person => {
    const scheme = retirementScheme(rng, gender);
    return { gender, scheme, age: age(scheme), relationship };
  };
  switch (kind) {
    case 'single':
    case 'couple-one-registered':
      return [person(headGender, (s) => seekerAge(rng, s), 'head')];
    case 'couple-both-registered': {
      const head = person(headGender, (s) => seekerAge(rng, s), 'head');
      return [head, person(other, () => Math.min(62, Math.max(20, head.age + rng.int(-4, 4))), 'spouse')];
    }
    case 'single-parent':
      return [person(headGender, () => rng.int(26, 50), 'head')];
    case 'parent-and-child': {
      const head = person(headGender, () => rng.int(44, 58), 'head');
      return [head, person(rng.chance(0.5) ? 'male' : 'female', () => rng.int(18, Math.min(30, head.age - 20)), 'child')];
    }
    case 'three-generations': {
      const child: Gender = rng.chance(0.6) ? 'male' : 'female';
      const age = rng.int(28, 45);
      const couple: Person[] = [
        { ...person(child, () => age, 'child'), ownMinorChildren: rng.int(0, 2) },
        { ...person(child === 'male' ? 'female' : 'male', () => Math.min(50, Math.max(24, age + rng.int(-3, 3))), 'child-in-law'), spouseOf: 0 },
      ];
      return rng.chance(0.4) ? [...couple, person('female', () => Math.min(57, age + rng.int(20, 30)), 'spouse')] : couple;
    }
    case 'single-parent-with-parents':
      return [{ ...person(rng.chance(0.8) ? 'female' : 'male', () => rng.int(24, 42), 'child'), ownMinorChildren: rng.int(1, 2), raisingAlone: true }];
  }
}

/** A minimum-livelihood certificate number as a civil-affairs bureau writes it. */
function certificate(rng: Random, at: Date): { certificateNumber: string; since: string } {
  const since = addDays(cityDate(at), -rng.int(30, 1500));
  return { certificateNumber: `苏民低保${since.slice(0, 4)}第${String(rng.int(1, 999_999)).padStart(6, '0')}号`, since };
}

/** Household number `index` of the city: its members, registration bodies and derived categories. */
export function generateHousehold(seed: string | number, index: number, communities: readonly Community[], at: Date): DemoHousehold {
  const rng = Random.stream(seed, 'household', index);
  // Person slots 0..SLOTS_PER_HOUSEHOLD-2 are members; the last slot's number names the household.
  const key = rng.uuid(index * SLOTS_PER_HOUSEHOLD + SLOTS_PER_HOUSEHOLD - 1);
  const kind = rng.weighted(KINDS);
  const community = rng.pick(communities);
  const nobodyElse = rng.chance(NOBODY_ELSE_WORKS[kind]);
  const headsChildren = kind === 'single-parent' ? rng.int(1, 2) : kind === 'parent-and-child' || kind === 'three-generations' || kind === 'single-parent-with-parents' ? 0 : rng.weighted([[0, 6], [1, 3], [2, 1]] as const);
  const registration: HouseholdRegistration = {
    communityCode: community.code,
    singleParent: kind === 'single-parent',
    minorChildren: headsChildren,
    otherEmployedMembers: nobodyElse ? 0 : kind === 'couple-one-registered' ? 1 : rng.int(1, 2),
    minimumLivelihood: rng.chance(nobodyElse ? 0.3 : 0.02) ? certificate(rng, at) : null,
  };
  const members: DemoSeeker[] = [];
  const hardshipMembers: HardshipMember[] = [];
  const everyone = people(rng, kind);
  const keys = everyone.map((_, i) => rng.uuid(index * SLOTS_PER_HOUSEHOLD + i));
  everyone.forEach((p, i) => {
    const memberKey = keys[i]!;
    const spouseKey = p.spouseOf === undefined ? undefined : keys[p.spouseOf];
    const { birthDate, idNumber } = identity(index * SLOTS_PER_HOUSEHOLD + i, p.age, p.gender, at);
    const edu = education(rng, p.age);
    const work = workProfile(rng, edu);
    const wage = expectedWage(rng, work.sector, edu);
    const phone = rng.chance(0.85) ? mobilePhone(rng) : undefined;
    const reg: SeekerRegistration = {
      idNumber,
      name: chineseName(rng, p.gender),
      ...(phone ? { phone } : {}),
      communityCode: community.code,
      relationship: p.relationship,
      education: edu,
      skills: work.skills,
      desiredOccupations: work.desired,
      ...(wage === null ? {} : { expectedMonthlyWage: wage }),
      ableToWork: rng.chance(0.98),
      willingToWork: rng.chance(0.97),
      laidOff: p.age >= 35 && rng.chance(kind === 'couple-both-registered' ? 0.5 : 0.2),
      minimumLivelihood: false,
      disabled: rng.chance(0.03),
      unemployedSince: unemployedSince(rng, at),
      ...(p.gender === 'female' ? { retirementScheme: p.scheme } : {}),
      ...(p.ownMinorChildren ? { ownMinorChildren: p.ownMinorChildren } : {}),
      ...(p.raisingAlone ? { raisingAlone: true } : {}),
    };
    hardshipMembers.push({
      id: memberKey, relationship: p.relationship, gender: p.gender, birthDate, retirementScheme: p.scheme, status: 'unemployed', ableToWork: reg.ableToWork,
      willingToWork: reg.willingToWork, laidOff: reg.laidOff, minimumLivelihood: reg.minimumLivelihood, disabled: reg.disabled, unemployedSince: reg.unemployedSince,
      spouseId: spouseKey ?? null, ownMinorChildren: p.ownMinorChildren ?? 0, raisingAlone: p.raisingAlone ?? false,
    });
    members.push({
      key: memberKey, householdKey: key, gender: p.gender, birthDate, retirementScheme: p.scheme, ...(spouseKey ? { spouseKey } : {}), registration: reg,
      engine: {
        id: memberKey, age: p.age, gender: p.gender, education: edu, skills: reg.skills, desiredOccupations: reg.desiredOccupations,
        expectedMonthlyWage: wage, communityCode: community.code, hardshipCategories: [],
      },
    });
  });
  const derived = deriveHardship({ ...registration, minimumLivelihood: registration.minimumLivelihood !== null }, hardshipMembers, at);
  for (const m of members) m.engine.hardshipCategories = derived.members[m.key] ?? [];
  return { key, index, kind, registration, hardshipCategories: derived.household, members };
}

