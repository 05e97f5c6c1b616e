/**
 * A seeded, reproducible demo city on the real Suzhou communities: households of
 * registered unemployed (older than the workforce, about a third in the 4050 group, a few past their
 * retirement date, couples
 * and single parents), employers and vacancies by sector with public-welfare and
 * reserved posts. Entities are generated one at a time from their own PRNG stream, so
 * a city of a million seekers is iterated without being held in memory.
 */
import type { SeekerInput, VacancyInput } from '@reemploy/matching-engine';
import { generateEmployer, type DemoEmployer } from './employers.ts';
import { SLOTS_PER_HOUSEHOLD, generateHousehold, type DemoHousehold, type DemoSeeker } from './households.ts';
import { PERSON_SLOTS } from './people.ts';
import { suzhouCommunities, suzhouStreets, type Community } from './regions.ts';
import { AID_BASE_DISTRICT, generateVacancy, type DemoVacancy, type VacancyContext } from './vacancies.ts';

export type { DemoEmployer, EmployerRegistration } from './employers.ts';
export type { DemoHousehold, DemoSeeker, HouseholdKind, HouseholdRegistration, SeekerRegistration } from './households.ts';
export type { DemoVacancy, VacancyRegistration } from './vacancies.ts';
export type { Community } from './regions.ts';
export { suzhouCommunities, SUZHOU_DISTRICTS } from './regions.ts';
export { AID_BASE_COUNT } from './vacancies.ts';
export { Random } from './random.ts';

export interface DemoCityOptions {
  seed?: string | number;
  seekers: number;
  /** Default: half the seekers. */
  vacancies?: number;
  /** Default: one per eight vacancies, plus one service centre per street. */
  employers?: number;
  /** Reference date for ages, hardship categories and expiry; default 2026-01-01 so a seed always gives the same city. */
  at?: Date;
}

export interface DemoCity {
  seed: string | number;
  at: Date;
  size: { seekers: number; vacancies: number; employers: number };
  communities: readonly Community[];
  /** Households in order until the seekers are reached (the last may be cut short). */
  households(): Generator<DemoHousehold>;
  seekers(): Generator<DemoSeeker>;
  employers(): Generator<DemoEmployer>;
  vacancies(): Generator<DemoVacancy>;
  household(index: number): DemoHousehold;
  employer(index: number): DemoEmployer;
  vacancy(index: number): DemoVacancy;
  /** The whole city as engine input (holds everything in memory: for benchmarks and tests). */
  engineInput(): { seekers: SeekerInput[]; vacancies: VacancyInput[] };
}

export const MAX_SEEKERS = (PERSON_SLOTS / SLOTS_PER_HOUSEHOLD) | 0;

export function createDemoCity(options: DemoCityOptions): DemoCity {
  const seed = options.seed ?? 'suzhou';
  const at = options.at ?? new Date(Date.UTC(2026, 0, 1));
  const seekerCount = options.seekers;
  if (!Number.isInteger(seekerCount) || seekerCount < 1 || seekerCount > MAX_SEEKERS) throw new RangeError(`seekers must be an integer from 1 to ${MAX_SEEKERS}`);
  const communities = suzhouCommunities();
  const streets = suzhouStreets();
  const vacancyCount = options.vacancies ?? Math.ceil(seekerCount / 2);
  const employerCount = Math.max(options.employers ?? Math.ceil(vacancyCount / 8) + streets.length, streets.length + 1);
  const ctx: VacancyContext = { seed, at, communities, streets, oldCity: communities.filter((c) => c.districtCode === AID_BASE_DISTRICT), employerCount };

  const household = (index: number) => generateHousehold(seed, index, communities, at);
  function* households(): Generator<DemoHousehold> {
    let remaining = seekerCount;
    for (let i = 0; remaining > 0; i++) {
      const h = household(i);
      if (h.members.length > remaining) h.members = h.members.slice(0, remaining);
      remaining -= h.members.length;
      yield h;
    }
  }
  function* seekers(): Generator<DemoSeeker> {
    for (const h of households()) yield* h.members;
  }
  const employer = (index: number) => generateEmployer(seed, index, communities, streets);
  function* employers(): Generator<DemoEmployer> {
    for (let i = 0; i < employerCount; i++) yield employer(i);
  }
  function* vacancies(): Generator<DemoVacancy> {
    const cache = new Map<number, DemoEmployer>();
    for (let i = 0; i < vacancyCount; i++) yield generateVacancy(ctx, i, cache);
  }
  return {
    seed, at, communities,
    size: { seekers: seekerCount, vacancies: vacancyCount, employers: employerCount },
    households, seekers, employers, vacancies, household, employer,
    vacancy: (index) => generateVacancy(ctx, index),
    engineInput() {
      const s: SeekerInput[] = [];
      for (const x of seekers()) s.push(x.engine);
      const v: VacancyInput[] = [];
      for (const x of vacancies()) v.push(x.engine);
      return { seekers: s, vacancies: v };
    },
  };
}
