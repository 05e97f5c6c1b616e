import type { EducationLevel, Gender, RetirementScheme } from '@reemploy/domain';
import { addDays, cityDate, makeIdNumber, RETIREMENT_SCHEDULE } from '@reemploy/domain';
import type { Random } from './random.ts';

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严戴莫孔向汤';
const GIVEN_MALE = '伟强磊军勇杰涛明超斌辉刚平建国华峰鹏飞俊林波志浩宇德成文龙海';
const GIVEN_FEMALE = '芳娟敏静丽艳娜霞秀英玲桂兰红梅琴燕萍雪慧婷洁莹倩颖佳琳雅';

const SURNAME_LIST = [...SURNAMES];
const MALE_LIST = [...GIVEN_MALE];
const FEMALE_LIST = [...GIVEN_FEMALE];

export function chineseName(rng: Random, gender: Gender): string {
  const given = gender === 'male' ? MALE_LIST : FEMALE_LIST;
  return rng.pick(SURNAME_LIST) + rng.pick(given) + (rng.chance(0.7) ? rng.pick(given) : '');
}

export function mobilePhone(rng: Random): string {
  return `1${rng.pick(['3', '5', '7', '8', '9'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;
}

/**
 * Region codes an identity number can start with: Suzhou districts, old ones included
 * (沧浪, 平江, 金阊 and 吴江市 numbers are still in use), and places many Suzhou
 * residents come from. Distinct codes: uniqueness of the numbers relies on it.
 */
const ID_REGIONS = [
  '320502', '320503', '320504', '320505', '320506', '320507', '320508', '320509', '320581', '320582', '320583', '320584', '320585',
  '320382', '320923', '321323', '321081', '340102', '341221', '341321', '411522', '412726', '510722', '522422',
];
const SEQUENCES_PER_GENDER = 500;
const DAYS = 365;

/** How many people one city can hold with distinct identity numbers. */
export const PERSON_SLOTS = ID_REGIONS.length * DAYS * SEQUENCES_PER_GENDER;

/**
 * A birth date giving exactly `age` at `at`, and an identity number unique to the person
 * slot: the slot fixes the region, the day of the year and the sequence, so no two people
 * of one city share a number whatever their birth years.
 */
export function identity(slot: number, age: number, gender: Gender, at: Date): { birthDate: string; idNumber: string } {
  if (slot >= PERSON_SLOTS) throw new RangeError(`the demo city holds at most ${PERSON_SLOTS} people`);
  const region = ID_REGIONS[slot % ID_REGIONS.length]!;
  const q = Math.floor(slot / ID_REGIONS.length);
  const day = q % DAYS;
  const sequence = 2 * Math.floor(q / DAYS) + (gender === 'male' ? 1 : 0);
  const today = cityDate(at);
  const birthday = (y: number) => addDays(`${y}-01-01`, day);
  // This year's birthday still to come: born a year earlier.
  let year = Number(today.slice(0, 4)) - age;
  if (birthday(year).slice(5) > today.slice(5)) year -= 1;
  const birthDate = birthday(year);
  return { birthDate, idNumber: makeIdNumber(region, birthDate, sequence, gender) };
}

/** Registered unemployed are older than the workforce: most are 40 to 59. */
const AGE_BANDS: readonly (readonly [readonly [number, number], number])[] = [
  [[18, 24], 8], [[25, 34], 21], [[35, 39], 15], [[40, 49], 29], [[50, 59], 24], [[60, 62], 3],
];

/** Most women registered are former workers (retiring at 50 before the reform), some former cadres (55). */
export function retirementScheme(rng: Random, gender: Gender): RetirementScheme {
  return gender === 'male' ? 'male-60' : rng.chance(0.3) ? 'female-55' : 'female-50';
}

/**
 * An age in a band; a band reaching past a year after the scheme's original retirement age
 * moves down to end there (few register once retired). The oldest are on both sides of their
 * retirement date: some still of working age by the reform's delay, some retired (and so
 * neither 4050 nor counted as able to work).
 */
export function seekerAge(rng: Random, scheme: RetirementScheme): number {
  const [lo, hi] = rng.weighted(AGE_BANDS);
  const top = Math.min(hi, RETIREMENT_SCHEDULE.schemes[scheme].originalAge + 1);
  return rng.int(Math.max(18, top - (hi - lo)), top);
}

/** Older cohorts had less schooling. */
export function education(rng: Random, age: number): EducationLevel {
  if (age >= 45) {
    return rng.weighted([['none', 2], ['primary', 12], ['junior-secondary', 48], ['senior-secondary', 22], ['vocational', 10], ['college', 5], ['bachelor', 1]] as const);
  }
  if (age >= 30) {
    return rng.weighted([['primary', 3], ['junior-secondary', 32], ['senior-secondary', 25], ['vocational', 20], ['college', 13], ['bachelor', 6], ['postgraduate', 1]] as const);
  }
  return rng.weighted([['junior-secondary', 15], ['senior-secondary', 20], ['vocational', 28], ['college', 22], ['bachelor', 13], ['postgraduate', 2]] as const);
}
