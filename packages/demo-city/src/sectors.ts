import type { EducationLevel } from '@reemploy/domain';
import { occupations, type Occupation } from '@reemploy/taxonomy';

/** A sector of the local labour market: where the occupations, pay and age limits of a post come from. */
export interface Sector {
  key: string;
  nameZh: string;
  /** Occupation group prefixes (`4-01`) of the taxonomy. */
  groups: readonly string[];
  /** Share of vacancies and of seekers' past jobs. */
  weight: number;
  /** Monthly pay range in CNY. */
  wage: readonly [number, number];
  /** Upper age limits posts in this sector usually set, with weights. */
  maxAges: readonly (readonly [number, number])[];
  educationMin: readonly (readonly [EducationLevel, number])[];
  occupations: readonly Occupation[];
}

const manual = [['none', 3], ['primary', 3], ['junior-secondary', 4]] as const;
const schooled = [['junior-secondary', 3], ['senior-secondary', 4], ['vocational', 3]] as const;
const older = [[45, 2], [50, 3], [55, 3], [60, 2]] as const;
const younger = [[35, 3], [40, 3], [45, 3], [50, 1]] as const;

const SECTOR_DATA: Omit<Sector, 'occupations'>[] = [
  { key: 'retail', nameZh: '零售', groups: ['4-01'], weight: 14, wage: [3000, 5500], maxAges: younger, educationMin: [['junior-secondary', 6], ['senior-secondary', 4]] },
  { key: 'catering', nameZh: '餐饮', groups: ['4-03'], weight: 14, wage: [3200, 6000], maxAges: older, educationMin: manual },
  { key: 'logistics', nameZh: '物流与驾驶', groups: ['4-02'], weight: 12, wage: [4500, 9000], maxAges: [[45, 3], [50, 3], [55, 2]], educationMin: manual },
  { key: 'environment', nameZh: '保洁与环卫', groups: ['4-09'], weight: 8, wage: [2600, 4200], maxAges: [[55, 3], [60, 5]], educationMin: manual },
  { key: 'property', nameZh: '物业与保安', groups: ['4-06', '4-07', '3-02'], weight: 10, wage: [3000, 5000], maxAges: older, educationMin: manual },
  { key: 'care', nameZh: '家政与护理', groups: ['4-10', '4-14'], weight: 10, wage: [3500, 7500], maxAges: older, educationMin: manual },
  { key: 'manufacturing', nameZh: '制造', groups: ['6-02', '6-04', '6-05', '6-06', '6-14', '6-18', '6-19', '6-22', '6-24', '6-25', '6-31'], weight: 16, wage: [4000, 7000], maxAges: younger, educationMin: manual },
  { key: 'construction', nameZh: '建筑', groups: ['6-29', '6-30'], weight: 4, wage: [5000, 9000], maxAges: older, educationMin: manual },
  { key: 'repair', nameZh: '维修', groups: ['4-11', '4-12'], weight: 4, wage: [4000, 8000], maxAges: older, educationMin: schooled },
  { key: 'office', nameZh: '办公与商务', groups: ['3-01', '4-04', '4-05', '4-08', '4-13'], weight: 6, wage: [3500, 6500], maxAges: younger, educationMin: [['senior-secondary', 4], ['vocational', 3], ['college', 3]] },
  { key: 'professional', nameZh: '专业技术', groups: ['1-06', '2-'], weight: 1.5, wage: [6000, 12000], maxAges: younger, educationMin: [['college', 5], ['bachelor', 5]] },
  { key: 'agriculture', nameZh: '农业', groups: ['5-', '6-01'], weight: 0.5, wage: [2800, 4500], maxAges: [[60, 1]], educationMin: manual },
];

/** The sectors, each with the taxonomy occupations it covers (sectors without any are dropped). */
export const SECTORS: readonly Sector[] = SECTOR_DATA.map((s) => ({
  ...s,
  occupations: occupations.filter((o) => s.groups.some((g) => o.code.startsWith(g))),
})).filter((s) => s.occupations.length > 0);

export const SECTOR_WEIGHTS = SECTORS.map((s) => [s, s.weight] as const);

/**
 * Community public-welfare posts (社区公益性岗位): cleaning, greening, patrols, grid work,
 * the community canteen. Only the codes present in the taxonomy are used.
 */
const PUBLIC_WELFARE_CODES = ['8-00-03', '4-09-09', '4-09-10', '4-09-02', '4-09-03', '4-09-04', '3-01-08', '3-01-09', '3-02-03', '3-02-05', '4-02-15', '4-03-17'];
export const PUBLIC_WELFARE_OCCUPATIONS: readonly Occupation[] = occupations.filter((o) => PUBLIC_WELFARE_CODES.includes(o.code));
