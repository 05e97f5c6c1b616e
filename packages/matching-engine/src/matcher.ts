import { EDUCATION_LEVELS } from '@reemploy/domain';
import { normalisedWeights, resolveConfig } from './config.ts';
import { occupationGroupOf, occupationMajorOf, regionPrefix, skillFamilyOf } from './codes.ts';
import { explainPair } from './explain.ts';
import { NEUTRAL, OCCUPATION_CREDIT, PRIORITY_CREDIT, RELATED_SKILL_CREDIT, roundScore } from './factors.ts';
import { categoryMask } from './hardship.ts';
import { LazyMatch } from './lazy-match.ts';
import { postingList, type Postings } from './postings.ts';
import { TopK } from './top-k.ts';
import type { Candidate, Match, Matcher, MatchingConfig, RankedBuffer, SeekerInput, VacancyInput } from './types.ts';
import {
  Dictionary, F_CITY, F_COMMUNITY, F_DISTRICT, F_EDUCATION, F_ELIGIBLE, F_GROUP, F_MAJOR, F_MAX_AGE, F_MIN_AGE, F_OCCUPATION, F_OPEN, F_POST_CLASS, F_SKILL_END, F_SKILL_START, F_STREET, F_WAGE_MAX, POST_PUBLIC_WELFARE, POST_RESERVED, STRIDE, buildVacancyIndex,
} from './vacancy-index.ts';

/**
 * How many vacancies a seeker reads per key at most before the key is narrowed to his
 * district, then his street (see postings.ts). A constant, so the work per seeker does
 * not grow with the city.
 */
export const KEY_LIST_LIMIT = 160;

/**
 * Builds the indexes over the vacancies once; each seeker then costs only the candidates
 * his skills, skill families, desired occupations, neighbourhood and hardship categories
 * reach, never the whole vacancy table.
 */
export function createMatcher(vacancies: VacancyInput[], config?: Partial<MatchingConfig>): Matcher {
  const cfg = resolveConfig(config);
  const w = normalisedWeights(cfg);
  const wS = w.skills, wO = w.occupation, wA = w.age, wW = w.wage, wP = w.proximity, wR = w.priority;
  const ix = buildVacancyIndex(vacancies, KEY_LIST_LIMIT);
  const { data, wageMax, skillPair } = ix;

  // Per-seeker state: stamps equal to `epoch` mark what the current seeker has (or has seen).
  let epoch = 0;
  const seen = new Int32Array(ix.count);
  const skillStamp = new Int32Array(ix.skills.size + 1);
  const familyStamp = new Int32Array(ix.families.size + 1);
  const occStamp = new Int32Array(ix.occupations.size + 1);
  const groupStamp = new Int32Array(ix.groups.size + 1);
  const majorStamp = new Int32Array(ix.majors.size + 1);
  let sAge = 0, sEdu = 0, sMask = 0, sWage = NaN, sHasDesired = false;
  let sCommunity = -2, sStreet = -2, sDistrict = -2, sCity = -2;
  const keys = { skills: [] as number[], families: [] as number[], occupations: [] as number[], groups: [] as number[] };
  let pairsScored = 0;
  let candidatesConsidered = 0;
  const heap = new TopK(cfg.topK);

  const area = (id: number): number => (id < 0 ? -2 : id); // -1 marks a vacancy's missing prefix: never equal

  /** Stamps the seeker's codes; each distinct key id once in `out`. */
  function stamp(code: string | null, dict: Dictionary, stamps: Int32Array, out: number[] | null): void {
    const id = dict.lookup(code);
    if (id < 0 || stamps[id] === epoch) return;
    stamps[id] = epoch;
    out?.push(id);
  }

  function prepare(s: SeekerInput): void {
    if (++epoch === 0x7fffffff) {
      for (const a of [seen, skillStamp, familyStamp, occStamp, groupStamp, majorStamp]) a.fill(0);
      epoch = 1;
    }
    sAge = s.age;
    sEdu = Math.max(0, EDUCATION_LEVELS.indexOf(s.education));
    sMask = categoryMask(s.hardshipCategories);
    sWage = s.expectedMonthlyWage ?? NaN;
    for (const list of Object.values(keys)) list.length = 0;
    for (const code of s.skills) {
      stamp(code, ix.skills, skillStamp, keys.skills);
      stamp(skillFamilyOf(code), ix.families, familyStamp, keys.families);
    }
    sHasDesired = s.desiredOccupations.length > 0;
    for (const code of s.desiredOccupations) {
      stamp(code, ix.occupations, occStamp, keys.occupations);
      stamp(occupationGroupOf(code), ix.groups, groupStamp, keys.groups);
      stamp(occupationMajorOf(code), ix.majors, majorStamp, null);
    }
    sCommunity = area(ix.communities.lookup(regionPrefix(s.communityCode, 12)));
    sStreet = area(ix.streets.lookup(regionPrefix(s.communityCode, 9)));
    sDistrict = area(ix.districts.lookup(regionPrefix(s.communityCode, 6)));
    sCity = area(ix.cities.lookup(regionPrefix(s.communityCode, 4)));
  }

  /**
   * The pair's score (the same sum as explain.ts scoreOf), -1 when a hard constraint
   * excludes it, -2 when it cannot reach `floor` whatever its skills.
   */
  function scorePair(v: number, floor: number): number {
    const r = v * STRIDE;
    const a = sAge - data[r + F_MIN_AGE]!;
    const b = data[r + F_MAX_AGE]! - sAge;
    if (a < 0 || b < 0 || sEdu < data[r + F_EDUCATION]! || data[r + F_OPEN] === 0) return -1;
    const m = data[r + F_ELIGIBLE]!;
    if (m !== 0 && (m & sMask) === 0) return -1;
    const d = a < b ? a : b;
    const ag = d >= 2 ? 1 : d === 1 ? 0.9 : 0.8;
    let oc: number;
    if (!sHasDesired) oc = NEUTRAL;
    else if (occStamp[data[r + F_OCCUPATION]!] === epoch) oc = OCCUPATION_CREDIT.exact;
    else if (groupStamp[data[r + F_GROUP]!] === epoch) oc = OCCUPATION_CREDIT.group;
    else if (majorStamp[data[r + F_MAJOR]!] === epoch) oc = OCCUPATION_CREDIT.major;
    else oc = OCCUPATION_CREDIT.none;
    let wg: number;
    if (sWage !== sWage) wg = NEUTRAL;
    else {
      const packed = data[r + F_WAGE_MAX]!;
      const top = packed >= 0 ? packed : wageMax[v]!;
      if (sWage <= top) wg = 1;
      else {
        wg = 1 - (2 * (sWage - top)) / sWage;
        if (wg < 0) wg = 0;
      }
    }
    const px = data[r + F_COMMUNITY] === sCommunity ? 1 : data[r + F_STREET] === sStreet ? 0.75
      : data[r + F_DISTRICT] === sDistrict ? 0.5 : data[r + F_CITY] === sCity ? 0.25 : 0;
    const pc = data[r + F_POST_CLASS]!;
    const pr = sMask === 0 ? PRIORITY_CREDIT.none
      : pc === POST_RESERVED ? PRIORITY_CREDIT.reserved : pc === POST_PUBLIC_WELFARE ? PRIORITY_CREDIT.publicWelfare : PRIORITY_CREDIT.hardship;
    const partial = wO * oc + wA * ag + wW * wg + wP * px + wR * pr;
    // Scores are rounded to 6 decimals (by up to 5e-7 either way): a pair is dropped only when even
    // rounded up it stays below the floor, so that it could not tie its way in either.
    if (partial + wS < floor - 1e-6) return -2;
    const s0 = data[r + F_SKILL_START]!;
    const s1 = data[r + F_SKILL_END]!;
    let sk = NEUTRAL;
    if (s1 > s0) {
      let c = 0;
      for (let j = 2 * s0, end = 2 * s1; j < end; j += 2) {
        if (skillStamp[skillPair[j]!] === epoch) c += 1;
        else if (familyStamp[skillPair[j + 1]!] === epoch) c += RELATED_SKILL_CREDIT;
      }
      sk = c / (s1 - s0);
    }
    return roundScore(partial + wS * sk);
  }

  /** Lists run from the oldest age limit down (postings.ts): past the seeker's age, nothing more is eligible. */
  function scan(list: Int32Array): void {
    for (let i = 0, n = list.length; i < n; i++) {
      const v = list[i]!;
      if (data[v * STRIDE + F_MAX_AGE]! < sAge) break;
      if (seen[v] === epoch) continue;
      seen[v] = epoch;
      candidatesConsidered++;
      const score = scorePair(v, heap.floor);
      if (score === -1) continue;
      pairsScored++;
      if (score >= 0) heap.offer(score, v);
    }
  }

  const read = (p: Postings, ids: number[]) => {
    for (const id of ids) scan(postingList(p, id, sDistrict, sStreet));
  };

  const ranked: RankedBuffer = { scores: new Float64Array(cfg.topK), items: new Int32Array(cfg.topK) };

  /** Ranks the best k vacancies for a seeker into `ranked`, best first; returns how many. */
  function rank(seeker: SeekerInput, k: number, into: RankedBuffer = ranked): number {
    if (!Number.isInteger(k) || k < 0) throw new RangeError('k must be a non-negative integer');
    prepare(seeker);
    heap.reset(k);
    if (k === 0) return 0;
    // Strong keys first, so the heap floor rises early and prunes the weaker ones.
    if (sCommunity >= 0) scan(postingList(ix.byCommunity, sCommunity, sDistrict, sStreet));
    read(ix.byOccupation, keys.occupations);
    read(ix.bySkill, keys.skills);
    read(ix.byGroup, keys.groups);
    read(ix.byFamily, keys.families);
    scan(postingList(ix.openToAll, 0, sDistrict, sStreet));
    if (sMask !== 0) {
      for (let c = 0; c < 8; c++) if (sMask & (1 << c)) scan(postingList(ix.reserved, c, sDistrict, sStreet));
      scan(postingList(ix.publicWelfare, 0, sDistrict, sStreet));
    }
    return heap.drainInto(into);
  }

  return {
    rankForSeeker(seeker, k = cfg.topK) {
      const n = rank(seeker, k);
      const out: Match[] = [];
      for (let i = 0; i < n; i++) {
        const v = ix.vacancies[ranked.items[i]!]!;
        out.push({ vacancyId: v.id, rank: i + 1, score: ranked.scores[i]!, ...explainPair(seeker, v) });
      }
      return out;
    },
    rankInto: (seeker, k, out) => rank(seeker, k, out),
    vacancies: ix.vacancies,
    candidatesFor(seeker, k) {
      const n = rank(seeker, k);
      const out: Match[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = new LazyMatch(ix.vacancies[ranked.items[i]!]!, i + 1, ranked.scores[i]!, seeker);
      return out;
    },
    rankCandidates(vacancyId, seekers, k = cfg.topK) {
      if (!Number.isInteger(k) || k < 0) throw new RangeError('k must be a non-negative integer');
      const v = ix.position.get(vacancyId);
      if (v === undefined || data[v * STRIDE + F_OPEN] === 0 || k === 0) return [];
      const kept: { score: number; seeker: SeekerInput }[] = [];
      const ids = new Set<string>();
      for (const s of seekers) {
        if (ids.has(s.id)) continue;
        ids.add(s.id);
        prepare(s);
        candidatesConsidered++;
        const score = scorePair(v, -1);
        if (score < 0) continue;
        pairsScored++;
        kept.push({ score, seeker: s });
      }
      kept.sort((a, b) => b.score - a.score || (a.seeker.id < b.seeker.id ? -1 : a.seeker.id > b.seeker.id ? 1 : 0));
      const vacancy = ix.vacancies[v]!;
      return kept.slice(0, k).map(({ score, seeker }, i): Candidate => ({ seekerId: seeker.id, rank: i + 1, score, ...explainPair(seeker, vacancy) }));
    },
    stats: () => ({ pairsScored, candidatesConsidered }),
  };
}
