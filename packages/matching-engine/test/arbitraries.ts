import fc from 'fast-check';
import { EDUCATION_LEVELS, GENDERS, HARDSHIP_CATEGORIES, VACANCY_KINDS, type HardshipCategory } from '@reemploy/domain';
import type { SeekerInput, VacancyInput } from '../src/index.ts';

// Small code pools, so that worlds share keys, tie, and hit every branch (malformed codes included).
export const SKILLS = ['S001-01', 'S001-02', 'S002-01', 'S002-02', 'S003-01', 'bogus'];
export const OCCUPATIONS = ['4-01-01', '4-01-02', '4-03-01', '6-18-01', 'x'];
export const PLACES = ['320508024043', '320508024001', '320508017003', '320583001001', '320102001001', '3205'];

export const categories = fc.subarray([...HARDSHIP_CATEGORIES], { maxLength: 3 });

/** Where a world's seekers draw their codes from; the defaults are the small pools above. */
export interface SeekerCodes {
  skills: fc.Arbitrary<string[]>;
  desiredOccupations: fc.Arbitrary<string[]>;
  communityCode: fc.Arbitrary<string>;
}

export const seekerArb = (id: string, codes: Partial<SeekerCodes> = {}): fc.Arbitrary<SeekerInput> =>
  fc.record({
    id: fc.constant(id),
    age: fc.integer({ min: 16, max: 65 }),
    gender: fc.constantFrom(...GENDERS),
    education: fc.constantFrom(...EDUCATION_LEVELS),
    skills: codes.skills ?? fc.subarray(SKILLS, { maxLength: 4 }),
    desiredOccupations: codes.desiredOccupations ?? fc.subarray(OCCUPATIONS, { maxLength: 3 }),
    expectedMonthlyWage: fc.option(fc.integer({ min: 2000, max: 9000 }), { nil: null }),
    communityCode: codes.communityCode ?? fc.constantFrom(...PLACES),
    hardshipCategories: categories,
  });

/** Where a world's vacancies draw their codes from, and how often a post is reserved (1 in `reservedOneIn`). */
export interface VacancyCodes {
  occupationCode: fc.Arbitrary<string>;
  skills: fc.Arbitrary<string[]>;
  communityCode: fc.Arbitrary<string>;
  reservedOneIn: number;
}

export const vacancyArb = (id: string, codes: Partial<VacancyCodes> = {}): fc.Arbitrary<VacancyInput> =>
  fc.record({
    id: fc.constant(id),
    occupationCode: codes.occupationCode ?? fc.constantFrom(...OCCUPATIONS),
    skills: codes.skills ?? fc.array(fc.constantFrom(...SKILLS), { maxLength: 4 }),
    minAge: fc.integer({ min: 16, max: 40 }),
    maxAge: fc.integer({ min: 35, max: 65 }),
    educationMin: fc.constantFrom(...EDUCATION_LEVELS.slice(0, 5)),
    wageMin: fc.constant(2500),
    wageMax: fc.integer({ min: 2500, max: 8000 }),
    headcountLeft: fc.integer({ min: 0, max: 3 }),
    communityCode: codes.communityCode ?? fc.constantFrom(...PLACES),
    kind: fc.constantFrom(...VACANCY_KINDS),
    reservedFor: fc.oneof({ weight: (codes.reservedOneIn ?? 4) - 1, arbitrary: fc.constant<HardshipCategory[]>([]) }, { weight: 1, arbitrary: categories }),
    aidBase: fc.boolean(),
  });

/** n items with ids `${prefix}00`, `${prefix}01`... (zero-padded to at least two digits, so that ids sort like their numbers). */
export const list = <T>(n: number, item: (id: string) => fc.Arbitrary<T>, prefix: string): fc.Arbitrary<T[]> => {
  const digits = Math.max(2, String(n - 1).length);
  return n === 0 ? fc.constant([]) : fc.tuple(...Array.from({ length: n }, (_, i) => item(`${prefix}${String(i).padStart(digits, '0')}`)));
};
