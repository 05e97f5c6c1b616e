import { EDUCATION_LEVELS, HARDSHIP_CATEGORIES } from '@reemploy/domain';
import { occupationGroupOf, occupationMajorOf, regionPrefix, skillFamilyOf } from './codes.ts';
import { ALL_CATEGORIES_MASK, categoryMask } from './hardship.ts';
import { PostingsBuilder, type Postings } from './postings.ts';
import type { VacancyInput } from './types.ts';

/** Kinds of post as the priority factor sees them. */
export const POST_REGULAR = 0;
export const POST_PUBLIC_WELFARE = 1;
export const POST_RESERVED = 2;

/** Interns strings to dense ids; id `size` (one past the last) stands for "absent" and is never stamped. */
export class Dictionary {
  readonly ids = new Map<string, number>();
  intern(value: string | null): number {
    if (value === null) return -1;
    let id = this.ids.get(value);
    if (id === undefined) this.ids.set(value, (id = this.ids.size));
    return id;
  }
  lookup(value: string | null): number {
    return value === null ? -1 : (this.ids.get(value) ?? -1);
  }
  get size(): number {
    return this.ids.size;
  }
}

/** Field offsets in `VacancyIndex.data`: one 64-byte row per vacancy, so scoring a candidate touches one cache line. */
export const F_MIN_AGE = 0, F_MAX_AGE = 1, F_EDUCATION = 2, F_OPEN = 3, F_ELIGIBLE = 4, F_POST_CLASS = 5, F_OCCUPATION = 6, F_GROUP = 7,
  F_MAJOR = 8, F_COMMUNITY = 9, F_STREET = 10, F_DISTRICT = 11, F_CITY = 12, F_SKILL_START = 13, F_SKILL_END = 14,
  /** The top of the wage range when a non-negative int32, else -1: read `wageMax` then. */
  F_WAGE_MAX = 15;
export const STRIDE = 16;

/**
 * Everything about the vacancies that does not depend on the seeker, computed once per
 * matcher. Vacancies are addressed by their position in id order, so comparing
 * positions breaks ties by vacancy id without touching strings.
 */
export interface VacancyIndex {
  count: number;
  vacancies: VacancyInput[];
  position: Map<string, number>;
  data: Int32Array;
  wageMax: Float64Array;
  /** Skill and skill-family slots of every vacancy's distinct skills, rows F_SKILL_START..F_SKILL_END. */
  skill: Int32Array;
  skillFamily: Int32Array;
  /** The same two, interleaved (skill, family, skill, family...): one cache line for both. */
  skillPair: Int32Array;
  skills: Dictionary;
  families: Dictionary;
  occupations: Dictionary;
  groups: Dictionary;
  majors: Dictionary;
  communities: Dictionary;
  streets: Dictionary;
  districts: Dictionary;
  cities: Dictionary;
  bySkill: Postings;
  byFamily: Postings;
  byOccupation: Postings;
  byGroup: Postings;
  byCommunity: Postings;
  /** Posts requiring no skill, under key 0: reachable by anyone nearby. */
  openToAll: Postings;
  /** Reserved posts other than public-welfare ones (assistance bases, employers), by category bit. */
  reserved: Postings;
  /** Community public-welfare posts, reserved or not, under key 0: local by nature. */
  publicWelfare: Postings;
}

/** Replaces -1 ("absent") by the dictionary's never-stamped slot so typed-array reads stay in bounds. */
function slot(id: number, dict: Dictionary): number {
  return id < 0 ? dict.size : id;
}

export function buildVacancyIndex(input: readonly VacancyInput[], limit: number): VacancyIndex {
  const vacancies = [...input].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const n = vacancies.length;
  const position = new Map<string, number>();
  vacancies.forEach((v, i) => position.set(v.id, i));
  const dicts = {
    skills: new Dictionary(), families: new Dictionary(), occupations: new Dictionary(), groups: new Dictionary(), majors: new Dictionary(),
    communities: new Dictionary(), streets: new Dictionary(), districts: new Dictionary(), cities: new Dictionary(),
  };
  const data = new Int32Array(n * STRIDE);
  const wageMax = new Float64Array(n);
  const street = new Int32Array(n);
  const district = new Int32Array(n);
  const skill: number[] = [];
  const skillFamily: number[] = [];
  const familiesOf: number[][] = [];

  for (let v = 0; v < n; v++) {
    const x = vacancies[v]!;
    const row = v * STRIDE;
    data[row + F_MIN_AGE] = x.minAge;
    data[row + F_MAX_AGE] = x.maxAge;
    data[row + F_EDUCATION] = Math.max(0, EDUCATION_LEVELS.indexOf(x.educationMin));
    data[row + F_OPEN] = x.headcountLeft > 0 ? 1 : 0;
    const reserved = categoryMask(x.reservedFor);
    // SPEC §3: assistance-base and community public-welfare posts are for hardship groups even when no category is named.
    const eligible = reserved !== 0 ? reserved : x.aidBase || x.kind === 'public-welfare' ? ALL_CATEGORIES_MASK : 0;
    data[row + F_ELIGIBLE] = eligible;
    data[row + F_POST_CLASS] = reserved !== 0 || x.aidBase ? POST_RESERVED : x.kind === 'public-welfare' ? POST_PUBLIC_WELFARE : POST_REGULAR;
    data[row + F_OCCUPATION] = dicts.occupations.intern(x.occupationCode);
    data[row + F_GROUP] = dicts.groups.intern(occupationGroupOf(x.occupationCode));
    data[row + F_MAJOR] = dicts.majors.intern(occupationMajorOf(x.occupationCode));
    data[row + F_COMMUNITY] = dicts.communities.intern(regionPrefix(x.communityCode, 12));
    data[row + F_STREET] = street[v] = dicts.streets.intern(regionPrefix(x.communityCode, 9));
    data[row + F_DISTRICT] = district[v] = dicts.districts.intern(regionPrefix(x.communityCode, 6));
    data[row + F_CITY] = dicts.cities.intern(regionPrefix(x.communityCode, 4));
    wageMax[v] = x.wageMax;
    data[row + F_WAGE_MAX] = Number.isInteger(x.wageMax) && x.wageMax >= 0 && x.wageMax <= 0x7fffffff ? x.wageMax : -1;
    data[row + F_SKILL_START] = skill.length;
    const fams = new Set<number>();
    for (const code of new Set(x.skills)) {
      skill.push(dicts.skills.intern(code));
      const f = dicts.families.intern(skillFamilyOf(code));
      skillFamily.push(f);
      if (f >= 0) fams.add(f);
    }
    data[row + F_SKILL_END] = skill.length;
    familiesOf.push([...fams]);
  }
  // Absent ids point at the slot one past each dictionary, which no seeker ever stamps.
  for (let v = 0; v < n; v++) {
    const row = v * STRIDE;
    data[row + F_OCCUPATION] = slot(data[row + F_OCCUPATION]!, dicts.occupations);
    data[row + F_GROUP] = slot(data[row + F_GROUP]!, dicts.groups);
    data[row + F_MAJOR] = slot(data[row + F_MAJOR]!, dicts.majors);
  }
  const skillArr = Int32Array.from(skill, (id) => slot(id, dicts.skills));
  const familyArr = Int32Array.from(skillFamily, (id) => slot(id, dicts.families));
  const skillPair = new Int32Array(2 * skillArr.length);
  for (let j = 0; j < skillArr.length; j++) {
    skillPair[2 * j] = skillArr[j]!;
    skillPair[2 * j + 1] = familyArr[j]!;
  }

  const b = {
    skill: new PostingsBuilder(), family: new PostingsBuilder(), occupation: new PostingsBuilder(), group: new PostingsBuilder(),
    community: new PostingsBuilder(), openToAll: new PostingsBuilder(), reserved: new PostingsBuilder(), publicWelfare: new PostingsBuilder(),
  };
  for (let v = 0; v < n; v++) {
    const row = v * STRIDE;
    if (data[row + F_OPEN] === 0) continue; // full posts are never candidates
    const s0 = data[row + F_SKILL_START]!;
    const s1 = data[row + F_SKILL_END]!;
    for (let j = s0; j < s1; j++) if (skillArr[j]! < dicts.skills.size) b.skill.add(skillArr[j]!, v);
    for (const f of familiesOf[v]!) b.family.add(f, v);
    if (data[row + F_OCCUPATION]! < dicts.occupations.size) b.occupation.add(data[row + F_OCCUPATION]!, v);
    if (data[row + F_GROUP]! < dicts.groups.size) b.group.add(data[row + F_GROUP]!, v);
    if (data[row + F_COMMUNITY]! >= 0) b.community.add(data[row + F_COMMUNITY]!, v);
    if (s0 === s1) b.openToAll.add(0, v);
    if (vacancies[v]!.kind === 'public-welfare') b.publicWelfare.add(0, v);
    else if (data[row + F_POST_CLASS] === POST_RESERVED) {
      for (let c = 0; c < HARDSHIP_CATEGORIES.length; c++) if (data[row + F_ELIGIBLE]! & (1 << c)) b.reserved.add(c, v);
    }
  }
  const maxAge = new Int32Array(n);
  for (let v = 0; v < n; v++) maxAge[v] = data[v * STRIDE + F_MAX_AGE]!;
  const areas = { district, districts: Math.max(1, dicts.districts.size), street, streets: Math.max(1, dicts.streets.size), maxAge };
  return {
    count: n, vacancies, position, data, wageMax, skill: skillArr, skillFamily: familyArr, skillPair,
    ...dicts,
    bySkill: b.skill.build(dicts.skills.size, areas, limit),
    byFamily: b.family.build(dicts.families.size, areas, limit),
    byOccupation: b.occupation.build(dicts.occupations.size, areas, limit),
    byGroup: b.group.build(dicts.groups.size, areas, limit),
    byCommunity: b.community.build(dicts.communities.size, areas, Number.MAX_SAFE_INTEGER),
    openToAll: b.openToAll.build(1, areas, limit),
    // Scarce by nature and meant for exactly these seekers: reached city-wide unless very many.
    reserved: b.reserved.build(HARDSHIP_CATEGORIES.length, areas, 4 * limit),
    publicWelfare: b.publicWelfare.build(1, areas, limit),
  };
}
