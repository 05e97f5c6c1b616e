import type { SeekerInput, VacancyInput } from '../src/index.ts';

/** A seeker in 龙港苑社区 (姑苏区): community 320508024043, street 320508024, district 320508. */
export function seeker(over: Partial<SeekerInput> = {}): SeekerInput {
  return {
    id: 's-1',
    age: 45,
    gender: 'female',
    education: 'junior-secondary',
    skills: ['S008-01', 'S008-05'],
    desiredOccupations: ['4-09-01'],
    expectedMonthlyWage: 3500,
    communityCode: '320508024043',
    hardshipCategories: [],
    ...over,
  };
}

export function vacancy(over: Partial<VacancyInput> = {}): VacancyInput {
  return {
    id: 'v-1',
    occupationCode: '4-09-01',
    skills: ['S008-01', 'S008-05'],
    minAge: 18,
    maxAge: 55,
    educationMin: 'primary',
    wageMin: 3000,
    wageMax: 4000,
    headcountLeft: 1,
    communityCode: '320508024043',
    kind: 'regular',
    reservedFor: [],
    aidBase: false,
    ...over,
  };
}
