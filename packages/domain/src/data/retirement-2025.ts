/**
 * China's statutory retirement ages as reformed from 1 January 2025: versioned
 * data, read by retirement.ts. A later reform is a new file with a new version.
 *
 * Source: 全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定
 * (Standing Committee of the 14th National People's Congress, 13 September 2024)
 * and its annex 国务院关于渐进式延迟法定退休年龄的办法, article 1 and the
 * tables 1–3 (对照表) that list, per birth month, the retirement age and month:
 * - men, original age 60: from 60 towards 63, one month more for every four
 *   months of birth from January 1965 (table 1: 1965-01..04 → 60y1m, retiring
 *   2025-02..05; 1976-09 and later → 63);
 * - women whose age was 55 (女干部, managerial and technical posts): from 55
 *   towards 58, likewise from January 1970 (table 2: 1970-01..04 → 55y1m;
 *   1981-09 and later → 58);
 * - women whose age was 50 (女工人, workers): from 50 towards 55, one month
 *   more for every two months of birth from January 1975 (table 3: 1975-01..02
 *   → 50y1m; 1984-11 and later → 55).
 * Those born before the first delayed month keep the original age.
 */
import type { Gender, RetirementScheme } from '../enums.ts';

export interface RetirementSchemeRule {
  gender: Gender;
  /** The retirement age before the reform, in years. */
  originalAge: number;
  /** The first birth month ('YYYY-MM') whose retirement is delayed. */
  firstDelayedBirthMonth: string;
  /** Months of birth per month of delay. */
  birthMonthsPerMonth: number;
  /** The delay at which the target age is reached. */
  maxDelayMonths: number;
}

export const RETIREMENT_2025 = {
  version: 'retirement-2025',
  source: '全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定 (2024-09-13), annex 国务院关于渐进式延迟法定退休年龄的办法, art. 1 and tables 1-3',
  effectiveFrom: '2025-01-01',
  schemes: {
    'male-60': { gender: 'male', originalAge: 60, firstDelayedBirthMonth: '1965-01', birthMonthsPerMonth: 4, maxDelayMonths: 36 },
    'female-55': { gender: 'female', originalAge: 55, firstDelayedBirthMonth: '1970-01', birthMonthsPerMonth: 4, maxDelayMonths: 36 },
    'female-50': { gender: 'female', originalAge: 50, firstDelayedBirthMonth: '1975-01', birthMonthsPerMonth: 2, maxDelayMonths: 60 },
  } satisfies Record<RetirementScheme, RetirementSchemeRule>,
} as const;
