import { EDUCATION_LEVELS, HARDSHIP_CATEGORIES } from '@reemploy/domain';
import { occupationGroupOf, occupationMajorOf, regionPrefix, skillFamilyOf } from './codes.ts';
import { ALL_CATEGORIES_MASK, categoryMask } from './hardship.ts';
import { PostingsBuilder, withRows, type Postings } from './postings.ts';
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

/**
 * Field offsets in `VacancyIndex.data`: one 64-byte row per vacancy, so scoring a candidate touches one
 * cache line. F_AREA is the vacancy's (street, district, city) as one id (`areaStreet` and the others).
 */
export const F_MIN_AGE = 0, F_MAX_AGE = 1, F_EDUCATION = 2, F_OPEN = 3, F_ELIGIBLE = 4, F_POST_CLASS = 5, F_OCCUPATION = 6,
  F_COMMUNITY = 7, F_AREA = 8, F_SKILL_START = 9, F_SKILL_END = 10,
  /** The top of the wage range when a non-negative int32, else -1: read `wageMax` then. */
  F_WAGE_MAX = 11,
  /**
   * Up to INLINE_SKILLS skill slots, two 16-bit halves a field (low half first), copied from `skill`
   * when every slot fits: the scoring loop then reads them from the row's own cache line.
   */
  F_INLINE_SKILLS = 12;
export const INLINE_SKILLS = 8;
export const STRIDE = 16;
/**
 * In the row copies of a posting list (postings.ts `withRows`), the vacancy's position takes the
 * place of F_OPEN: every listed post is open, and the scan needs the position for its seen marks and heap.
 */
export const F_POSITION = F_OPEN;

/**
 * Fields of the header row before each list's rows (postings.ts `withRows`): what its vacancies
 * have at most, from which the scan bounds every score in the list before reading it.
 * H_WAGE_MAX: the highest top of a wage range, or -1 when one is not a non-negative int32.
 * H_POST_CLASS: the highest POST_* class. H_NO_SKILL: 1 when a vacancy requires no skill.
 */
export const H_WAGE_MAX = 0, H_POST_CLASS = 1, H_NO_SKILL = 2;

/** Fills a list's header row from the index's own rows (`data`), for `withRows`. */
function summarize(data: Int32Array, list: Int32Array, header: Int32Array): void {
  let wage = 0, postClass = 0, noSkill = 0;
  for (let i = 0; i < list.length; i++) {
    const row = list[i]! * STRIDE;
    const top = data[row + F_WAGE_MAX]!;
    if (top < 0 || wage < 0) wage = -1;
    else if (top > wage) wage = top;
    if (data[row + F_POST_CLASS]! > postClass) postClass = data[row + F_POST_CLASS]!;
    if (data[row + F_SKILL_END] === data[row + F_SKILL_START]) noSkill = 1;
  }
  header[H_WAGE_MAX] = wage;
  header[H_POST_CLASS] = postClass;
  header[H_NO_SKILL] = noSkill;
}

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
  /** Skill slots of every vacancy's distinct skills, rows F_SKILL_START..F_SKILL_END. */
  skill: Int32Array;
  /** By skill id: its family's id (-1 for none). */
  familyOfSkill: Int32Array;
  /** Whether every row holds its skill slots at F_INLINE_SKILLS (when it has at most INLINE_SKILLS). */
  inlineSkills: boolean;
  /** By occupation id: its group and major ids (-1 for none). */
  occupationGroup: Int32Array;
  occupationMajor: Int32Array;
  /** By area id (F_AREA): its street, district and city ids (-1 for none). */
  areaStreet: Int32Array;
  areaDistrict: Int32Array;
  areaCity: Int32Array;
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

/** Positions by age limit, highest first, then by position: a counting sort (age limits are a few dozen values). */
function orderByAgeLimit(data: Int32Array, n: number): Int32Array {
  let lo = Infinity, hi = -Infinity;
  for (let v = 0; v < n; v++) {
    const a = data[v * STRIDE + F_MAX_AGE]!;
    if (a < lo) lo = a;
    if (a > hi) hi = a;
  }
  const order = new Int32Array(n);
  if (n === 0) return order;
  if (hi - lo > 1000) {
    // Not the ages of working life: sort by comparison instead.
    for (let v = 0; v < n; v++) order[v] = v;
    return order.sort((a, b) => data[b * STRIDE + F_MAX_AGE]! - data[a * STRIDE + F_MAX_AGE]! || a - b);
  }
  // Buckets from the highest age limit down; filled in position order, so each bucket stays in position order.
  const at = new Int32Array(hi - lo + 2);
  for (let v = 0; v < n; v++) at[hi - data[v * STRIDE + F_MAX_AGE]! + 1]!++;
  for (let b = 1; b < at.length; b++) at[b]! += at[b - 1]!;
  for (let v = 0; v < n; v++) order[at[hi - data[v * STRIDE + F_MAX_AGE]!]!++] = v;
  return order;
}

/** Replaces -1 ("absent") by the dictionary's never-stamped slot so typed-array reads stay in bounds. */
function slot(id: number, dict: Dictionary): number {
  return id < 0 ? dict.size : id;
}

export function buildVacancyIndex(input: readonly VacancyInput[], limit: number): VacancyIndex {
  const byId = (a: VacancyInput, b: VacancyInput) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  // The batch loads them in id order already: then a copy is enough.
  let sorted = true;
  for (let i = 1; i < input.length && sorted; i++) sorted = input[i - 1]!.id < input[i]!.id;
  const vacancies = sorted ? [...input] : [...input].sort(byId);
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
  // Each vacancy's distinct skill families: familyItems[familyStart[v]..familyStart[v+1]].
  const familyStart = new Int32Array(n + 1);
  const familyItems: number[] = [];

  // Codes repeat across vacancies: each distinct one is cut into its prefixes and interned once
  // (in the same order as one by one, so the ids do not depend on it).
  const areaIds = new Map<string, readonly [number, number, number, number, number]>();
  // Distinct (street, district, city) triples: the proximity factor beyond the community depends on nothing else.
  const areaKeys = new Map<string, number>();
  const areaStreet: number[] = [], areaDistrict: number[] = [], areaCity: number[] = [];
  const occupationIds = new Map<string, readonly [number, number, number]>();
  const skillIds = new Map<string, readonly [number, number]>();
  const areaOf = (code: string) => {
    let ids = areaIds.get(code);
    if (!ids) {
      const street = dicts.streets.intern(regionPrefix(code, 9)), district = dicts.districts.intern(regionPrefix(code, 6)), city = dicts.cities.intern(regionPrefix(code, 4));
      const key = `${street},${district},${city}`;
      let area = areaKeys.get(key);
      if (area === undefined) {
        areaKeys.set(key, (area = areaStreet.length));
        areaStreet.push(street);
        areaDistrict.push(district);
        areaCity.push(city);
      }
      ids = [dicts.communities.intern(regionPrefix(code, 12)), street, district, city, area];
      areaIds.set(code, ids);
    }
    return ids;
  };
  const occupationGroup: number[] = [], occupationMajor: number[] = [];
  const occupationOf = (code: string) => {
    let ids = occupationIds.get(code);
    if (!ids) {
      ids = [dicts.occupations.intern(code), dicts.groups.intern(occupationGroupOf(code)), dicts.majors.intern(occupationMajorOf(code))];
      occupationIds.set(code, ids);
      occupationGroup[ids[0]] = ids[1];
      occupationMajor[ids[0]] = ids[2];
    }
    return ids;
  };
  const familyOfSkill: number[] = [];
  const skillOf = (code: string) => {
    let ids = skillIds.get(code);
    if (!ids) {
      ids = [dicts.skills.intern(code), dicts.families.intern(skillFamilyOf(code))];
      skillIds.set(code, ids);
      familyOfSkill[ids[0]] = ids[1];
    }
    return ids;
  };

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
    data[row + F_OCCUPATION] = occupationOf(x.occupationCode)[0];
    const [community, streetId, districtId, , area] = areaOf(x.communityCode);
    data[row + F_COMMUNITY] = community;
    data[row + F_AREA] = area;
    street[v] = streetId;
    district[v] = districtId;
    wageMax[v] = x.wageMax;
    data[row + F_WAGE_MAX] = Number.isInteger(x.wageMax) && x.wageMax >= 0 && x.wageMax <= 0x7fffffff ? x.wageMax : -1;
    data[row + F_SKILL_START] = skill.length;
    familyStart[v] = familyItems.length;
    const first = skill.length;
    for (const code of x.skills) {
      const [id, f] = skillOf(code);
      if (skill.indexOf(id, first) >= 0) continue; // a skill named twice counts once
      skill.push(id);
      if (f >= 0 && familyItems.indexOf(f, familyStart[v]) < 0) familyItems.push(f);
    }
    data[row + F_SKILL_END] = skill.length;
  }
  familyStart[n] = familyItems.length;
  // Absent ids point at the slot one past each dictionary, which no seeker ever stamps.
  for (let v = 0; v < n; v++) {
    const row = v * STRIDE;
    data[row + F_OCCUPATION] = slot(data[row + F_OCCUPATION]!, dicts.occupations);
  }
  const skillArr = Int32Array.from(skill, (id) => slot(id, dicts.skills));
  // Inline copies only when every slot (the absent one included) fits in 16 bits.
  const inlineSkills = dicts.skills.size < 0xffff;
  for (let v = 0; inlineSkills && v < n; v++) {
    const row = v * STRIDE;
    const s0 = data[row + F_SKILL_START]!, count = data[row + F_SKILL_END]! - s0;
    if (count > INLINE_SKILLS) continue;
    for (let j = 0; j < count; j++) data[row + F_INLINE_SKILLS + (j >> 1)]! |= skillArr[s0 + j]! << ((j & 1) * 16);
  }

  const b = {
    skill: new PostingsBuilder(), family: new PostingsBuilder(), occupation: new PostingsBuilder(), group: new PostingsBuilder(),
    community: new PostingsBuilder(), openToAll: new PostingsBuilder(), reserved: new PostingsBuilder(), publicWelfare: new PostingsBuilder(),
  };
  // Every list runs from the oldest age limit down, then by position (postings.ts): added in that order.
  const byAge = orderByAgeLimit(data, n);
  for (const v of byAge) {
    const row = v * STRIDE;
    if (data[row + F_OPEN] === 0) continue; // full posts are never candidates
    const s0 = data[row + F_SKILL_START]!;
    const s1 = data[row + F_SKILL_END]!;
    for (let j = s0; j < s1; j++) if (skillArr[j]! < dicts.skills.size) b.skill.add(skillArr[j]!, v);
    for (let j = familyStart[v]!; j < familyStart[v + 1]!; j++) b.family.add(familyItems[j]!, v);
    if (data[row + F_OCCUPATION]! < dicts.occupations.size) b.occupation.add(data[row + F_OCCUPATION]!, v);
    const group = occupationGroup[data[row + F_OCCUPATION]!]!;
    if (group >= 0) b.group.add(group, v);
    if (data[row + F_COMMUNITY]! >= 0) b.community.add(data[row + F_COMMUNITY]!, v);
    if (s0 === s1) b.openToAll.add(0, v);
    if (vacancies[v]!.kind === 'public-welfare') b.publicWelfare.add(0, v);
    else if (data[row + F_POST_CLASS] === POST_RESERVED) {
      for (let c = 0; c < HARDSHIP_CATEGORIES.length; c++) if (data[row + F_ELIGIBLE]! & (1 << c)) b.reserved.add(c, v);
    }
  }
  const areas = { district, districts: Math.max(1, dicts.districts.size), street, streets: Math.max(1, dicts.streets.size) };
  const rows = (p: Postings) => withRows(p, data, STRIDE, F_POSITION, (list, header) => summarize(data, list, header));
  return {
    count: n, vacancies, position, data, wageMax, skill: skillArr, familyOfSkill: Int32Array.from(familyOfSkill), inlineSkills,
    occupationGroup: Int32Array.from(occupationGroup),
    occupationMajor: Int32Array.from(occupationMajor),
    areaStreet: Int32Array.from(areaStreet), areaDistrict: Int32Array.from(areaDistrict), areaCity: Int32Array.from(areaCity),
    ...dicts,
    bySkill: rows(b.skill.build(dicts.skills.size, areas, limit)),
    byFamily: rows(b.family.build(dicts.families.size, areas, limit)),
    byOccupation: rows(b.occupation.build(dicts.occupations.size, areas, limit)),
    byGroup: rows(b.group.build(dicts.groups.size, areas, limit)),
    byCommunity: rows(b.community.build(dicts.communities.size, areas, Number.MAX_SAFE_INTEGER)),
    openToAll: rows(b.openToAll.build(1, areas, limit)),
    // Scarce by nature and meant for exactly these seekers: reached city-wide unless very many.
    reserved: rows(b.reserved.build(HARDSHIP_CATEGORIES.length, areas, 4 * limit)),
    publicWelfare: rows(b.publicWelfare.build(1, areas, limit)),
  };
}
