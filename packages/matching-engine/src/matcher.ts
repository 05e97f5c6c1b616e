import { EDUCATION_LEVELS } from '@reemploy/domain';
import { normalisedWeights, resolveConfig } from './config.ts';
import { occupationGroupOf, occupationMajorOf, regionPrefix, skillFamilyOf } from './codes.ts';
import { eligible } from './allocate.ts';
import { explainPair, pairFit, scoreOf } from './explain.ts';
import { NEUTRAL, OCCUPATION_CREDIT, PRIORITY_CREDIT, PROXIMITY_CREDIT, RELATED_SKILL_CREDIT, roundScore } from './factors.ts';
import { categoryMask } from './hardship.ts';
import { LazyMatch } from './lazy-match.ts';
import { postingRows, readWidth, type Postings } from './postings.ts';
import { TopK } from './top-k.ts';
import type { Candidate, Match, Matcher, MatchingConfig, RankedBuffer, SeekerInput, VacancyInput } from './types.ts';
import {
  F_AREA, F_COMMUNITY, F_EDUCATION, F_ELIGIBLE, F_MAX_AGE, F_MIN_AGE, F_OCCUPATION, F_OPEN, F_POSITION, F_POST_CLASS, F_SKILL_END, F_SKILL_START, F_WAGE_MAX, F_INLINE_SKILLS, INLINE_SKILLS,
  H_NO_SKILL, H_POST_CLASS, H_WAGE_MAX,
  POST_PUBLIC_WELFARE, POST_REGULAR, POST_RESERVED, STRIDE, buildVacancyIndex,
} from './vacancy-index.ts';

/**
 * How many vacancies a seeker reads per key at most before the key is narrowed to his
 * district, then his street (see postings.ts). A constant, so the work per seeker does
 * not grow with the city.
 */
export const KEY_LIST_LIMIT = 160;

// scanLists reads vacancy rows at literal offsets (imported constants cost a check on every read): they must be the layout's.
if (
  STRIDE !== 16 || F_MIN_AGE !== 0 || F_MAX_AGE !== 1 || F_EDUCATION !== 2 || F_POSITION !== 3 || F_ELIGIBLE !== 4 || F_POST_CLASS !== 5 || F_OCCUPATION !== 6
  || F_COMMUNITY !== 7 || F_AREA !== 8 || F_SKILL_START !== 9 || F_SKILL_END !== 10 || F_WAGE_MAX !== 11 || F_INLINE_SKILLS !== 12 || INLINE_SKILLS !== 8
  || POST_REGULAR !== 0 || POST_PUBLIC_WELFARE !== 1 || POST_RESERVED !== 2 || H_WAGE_MAX !== 0 || H_POST_CLASS !== 1 || H_NO_SKILL !== 2
) {
  throw new Error('the vacancy row layout changed: update the offsets in scanLists');
}

const OC_EXACT = OCCUPATION_CREDIT.exact, OC_GROUP = OCCUPATION_CREDIT.group, OC_MAJOR = OCCUPATION_CREDIT.major, OC_NONE = OCCUPATION_CREDIT.none;
const PX_COMMUNITY = PROXIMITY_CREDIT[0], PX_STREET = PROXIMITY_CREDIT[1], PX_DISTRICT = PROXIMITY_CREDIT[2], PX_CITY = PROXIMITY_CREDIT[3], PX_NONE = PROXIMITY_CREDIT[4];
/**
 * Kinds of list in the order a seeker reads them (rank()). Lists of the last three kinds are
 * read only when their bound (scanLists) can beat the heap's floor.
 */
const KIND_FIRST = 0, KIND_GROUP = 1, KIND_FAMILY = 2, KIND_OTHER = 3;
const PR_RESERVED = PRIORITY_CREDIT.reserved, PR_WELFARE = PRIORITY_CREDIT.publicWelfare, PR_HARDSHIP = PRIORITY_CREDIT.hardship, PR_NONE = PRIORITY_CREDIT.none;

/**
 * `ids` memoized by code. Bounded, since seekers' codes are not checked against the taxonomy:
 * a long-lived on-demand matcher starts over past the bound.
 */
function memoByCode<T>(ids: (code: string) => T, limit = 20_000): (code: string) => T {
  const known = new Map<string, T>();
  return (code) => {
    let value = known.get(code);
    if (value === undefined) {
      if (known.size >= limit) known.clear();
      known.set(code, (value = ids(code)));
    }
    return value;
  };
}

/** The ids under each parent id (parent -1: under none), for parents 0..parents-1. */
function childrenOf(parentOf: Int32Array, parents: number): number[][] {
  const out: number[][] = Array.from({ length: parents }, () => []);
  for (let id = 0; id < parentOf.length; id++) if (parentOf[id]! >= 0) out[parentOf[id]!]!.push(id);
  return out;
}

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
  const { data, wageMax } = ix;

  // Per-seeker state: stamps equal to `epoch` mark what the current seeker has (or has seen).
  let epoch = 0;
  const seen = new Int32Array(ix.count);
  const skillStamp = new Int32Array(ix.skills.size + 1);
  const familyStamp = new Int32Array(ix.families.size + 1);
  const occStamp = new Int32Array(ix.occupations.size + 1);
  const groupStamp = new Int32Array(ix.groups.size + 1);
  const majorStamp = new Int32Array(ix.majors.size + 1);
  let sAge = 0, sEdu = 0, sMask = 0, sWage = NaN, sHasDesired = false;
  // NaN until the first seeker: unequal to any id, so his areas are always filled in.
  let sCommunity = -2, sStreet = NaN, sDistrict = NaN, sCity = NaN;
  const keys = { skills: [] as number[], families: [] as number[], occupations: [] as number[], groups: [] as number[], majors: [] as number[] };
  let pairsScored = 0;
  let candidatesConsidered = 0;
  const heap = new TopK(cfg.topK);

  // What each occupation, skill, area and kind of post is worth to the current seeker, by id, filled by
  // prepare(): the scoring loop reads a factor with one load, and a row needs to carry only its skill ids
  // (a skill's family credit is in the table), which lets most rows hold them in their own cache line.
  const occupationsOfGroup = childrenOf(ix.occupationGroup, ix.groups.size);
  const occupationsOfMajor = childrenOf(ix.occupationMajor, ix.majors.size);
  const skillsOfFamily = childrenOf(ix.familyOfSkill, ix.families.size);
  // The slot one past each dictionary ("absent") is never written: it keeps the credit of no match.
  const occupationCredit = new Float64Array(ix.occupations.size + 1).fill(OC_NONE);
  const occupationOpen = new Float64Array(ix.occupations.size + 1).fill(NEUTRAL);
  const skillCredit = new Float64Array(ix.skills.size + 1);
  const areaCredit = new Float64Array(ix.areaStreet.length);
  const priorityCredit = new Float64Array(3);
  const occupationsSet: number[] = [];
  const skillsSet: number[] = [];

  const area = (id: number): number => (id < 0 ? -2 : id); // -1 marks a vacancy's missing prefix: never equal

  /** Stamps a key id of the seeker; each distinct one once in `out`. */
  function stamp(id: number, stamps: Int32Array, out: number[]): void {
    if (id < 0 || stamps[id] === epoch) return;
    stamps[id] = epoch;
    out.push(id);
  }

  // A seeker's codes to the index's ids (-1: not in the index), each distinct code cut and looked up
  // once: seekers share a few hundred codes.
  const idsOfSkill = memoByCode((code) => [ix.skills.lookup(code), ix.families.lookup(skillFamilyOf(code))] as const);
  const idsOfOccupation = memoByCode((code) => [ix.occupations.lookup(code), ix.groups.lookup(occupationGroupOf(code)), ix.majors.lookup(occupationMajorOf(code))] as const);
  // Neighbours come one after another in the batch: the community's area ids are looked up once for them.
  let areaCode: string | null = null;

  function setCredit(table: Float64Array, ids: readonly number[], credit: number, set: number[]): void {
    for (const id of ids) {
      table[id] = credit;
      set.push(id);
    }
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
    keys.skills.length = keys.families.length = keys.occupations.length = keys.groups.length = keys.majors.length = 0;
    for (const code of s.skills) {
      const [skill, family] = idsOfSkill(code);
      stamp(skill, skillStamp, keys.skills);
      stamp(family, familyStamp, keys.families);
    }
    sHasDesired = s.desiredOccupations.length > 0;
    for (const code of s.desiredOccupations) {
      const [occupation, group, major] = idsOfOccupation(code);
      stamp(occupation, occStamp, keys.occupations);
      stamp(group, groupStamp, keys.groups);
      stamp(major, majorStamp, keys.majors);
    }
    if (s.communityCode !== areaCode) {
      areaCode = s.communityCode;
      sCommunity = area(ix.communities.lookup(regionPrefix(areaCode, 12)));
      const street = area(ix.streets.lookup(regionPrefix(areaCode, 9)));
      const district = area(ix.districts.lookup(regionPrefix(areaCode, 6)));
      const city = area(ix.cities.lookup(regionPrefix(areaCode, 4)));
      // Communities of one street share every area's credit: refilled only when the street (or its district or city) changes.
      if (street !== sStreet || district !== sDistrict || city !== sCity) {
        sStreet = street;
        sDistrict = district;
        sCity = city;
        for (let a = 0; a < areaCredit.length; a++) {
          areaCredit[a] = ix.areaStreet[a] === street ? PX_STREET : ix.areaDistrict[a] === district ? PX_DISTRICT : ix.areaCity[a] === city ? PX_CITY : PX_NONE;
        }
      }
    }

    // The previous seeker's credits back to none, then this one's, weakest first so that the strongest stays.
    for (const id of skillsSet) skillCredit[id] = 0;
    skillsSet.length = 0;
    for (const f of keys.families) setCredit(skillCredit, skillsOfFamily[f]!, RELATED_SKILL_CREDIT, skillsSet);
    setCredit(skillCredit, keys.skills, 1, skillsSet);
    for (const id of occupationsSet) occupationCredit[id] = OC_NONE;
    occupationsSet.length = 0;
    for (const m of keys.majors) setCredit(occupationCredit, occupationsOfMajor[m]!, OC_MAJOR, occupationsSet);
    for (const g of keys.groups) setCredit(occupationCredit, occupationsOfGroup[g]!, OC_GROUP, occupationsSet);
    setCredit(occupationCredit, keys.occupations, OC_EXACT, occupationsSet);
    const hardship = sMask !== 0;
    priorityCredit[POST_REGULAR] = hardship ? PR_HARDSHIP : PR_NONE;
    priorityCredit[POST_PUBLIC_WELFARE] = hardship ? PR_WELFARE : PR_NONE;
    priorityCredit[POST_RESERVED] = hardship ? PR_RESERVED : PR_NONE;
  }

  /** The lists the current seeker reads, in order, each as its vacancies' rows after a header (postings.ts `withRows`); reused. */
  const lists: Int32Array[] = [];
  /** Each list's KIND_* and `readWidth`. */
  const listKind: number[] = [];
  const listWidth: number[] = [];
  /**
   * The narrowest width at which the current seeker reads his occupations', skills', occupation
   * groups' and skill families' lists (2 when he has none): a list read no wider holds no unseen
   * vacancy that one of those would have held.
   */
  let occupationWidth = 2, skillWidth = 2, groupWidth = 2, familyWidth = 2;

  /**
   * Scores every vacancy of `lists` not seen yet for the current seeker into the heap.
   * One function over local copies of the seeker's state: the hottest loop of the batch.
   * A pair's score is the same sum as explain.ts scoreOf. Lists run from the oldest age
   * limit down (postings.ts), so a list is left at its first post too young for the seeker.
   * Each list holds its vacancies' rows one after the other, so the loop reads memory front
   * to back (which the processor fetches ahead) rather than one random row per candidate.
   *
   * A list after the seeker's occupations and skills is skipped whole when no vacancy of it he
   * has not seen can reach the heap's floor. Its bound takes each factor at the most the list
   * allows: the header's best wage and kind of post; the street (his community's posts were all
   * seen first); at most a group's credit for the occupation and a family's for the skills when
   * the lists of his own occupations and skills, read at least as wide, would have held any
   * better vacancy; none for the skills when his families' lists also would have. A skipped
   * list's vacancies are not marked seen (a later list still scores them), and each scores below
   * the floor, which only rises: so a later bound may count them as seen.
   */
  function scanLists(): void {
    const marks = seen, ep = epoch, age = sAge, edu = sEdu, mask = sMask, wage = sWage;
    const occupation = sHasDesired ? occupationCredit : occupationOpen, skillOf = skillCredit, areaOf = areaCredit, priority = priorityCredit;
    const slots = ix.skill, tops = wageMax, inline = ix.inlineSkills;
    const community = sCommunity, pxCommunity = PX_COMMUNITY;
    const ws = wS, wo = wO, wa = wA, ww = wW, wp = wP, wr = wR;
    const neutral = NEUTRAL;
    const h = heap;
    let floor = h.floor;
    let considered = 0, scored = 0;
    const hasDesired = sHasDesired, occupationW = occupationWidth, skillW = skillWidth;
    const groupW = groupWidth, familyW = familyWidth;
    for (let l = 0; l < lists.length; l++) {
      const d = lists[l]!;
      const kind = listKind[l]!;
      // The header (vacancy-index.ts H_*): skip the list when its bound stays below the floor (-1 while the heap fills).
      if (kind !== KIND_FIRST && floor > 0) {
        const width = listWidth[l]!;
        const ocB = !hasDesired ? neutral : occupationW < width ? OC_EXACT : kind !== KIND_GROUP && groupW >= width ? OC_MAJOR : OC_GROUP;
        let skB = skillW < width ? 1 : kind === KIND_OTHER && familyW >= width ? 0 : RELATED_SKILL_CREDIT;
        if (d[2] !== 0 && skB < neutral) skB = neutral;
        const top = d[0]!;
        let wgB = 1;
        if (wage !== wage) wgB = neutral;
        else if (top >= 0 && wage > top) {
          wgB = 1 - (2 * (wage - top)) / wage;
          if (wgB < 0) wgB = 0;
        }
        const bound = ws * skB + wo * ocB + wa + ww * wgB + wp * PX_STREET + wr * priority[d[1]!]!;
        // Its vacancies stay unseen, but none of them could have entered: a later list's bound needs to hold only for those that could.
        if (bound < floor - 1e-6) continue;
      }
      // Row layout: vacancy-index.ts F_* (literal offsets: this loop runs some 50 million times a night).
      for (let r = 16, n = d.length; r < n; r += 16) {
        const v = d[r + 3]!;
        const b = d[r + 1]! - age;
        if (b < 0) break;
        if (marks[v] === ep) continue;
        marks[v] = ep;
        considered++;
        const a = age - d[r]!;
        if (a < 0 || edu < d[r + 2]!) continue;
        const m = d[r + 4]!;
        if (m !== 0 && (m & mask) === 0) continue;
        scored++;
        const e = a < b ? a : b;
        const ag = e >= 2 ? 1 : e === 1 ? 0.9 : 0.8;
        const oc = occupation[d[r + 6]!]!;
        let wg: number;
        if (wage !== wage) wg = neutral;
        else {
          const packed = d[r + 11]!;
          const top = packed >= 0 ? packed : tops[v]!;
          if (wage <= top) wg = 1;
          else {
            wg = 1 - (2 * (wage - top)) / wage;
            if (wg < 0) wg = 0;
          }
        }
        const px = d[r + 7] === community ? pxCommunity : areaOf[d[r + 8]!]!;
        const pr = priority[d[r + 5]!]!;
        const partial = wo * oc + wa * ag + ww * wg + wp * px + wr * pr;
        // Scores are rounded to 6 decimals (by up to 5e-7 either way): a pair is dropped only when even
        // rounded up it stays below the floor, so that it could not tie its way in either.
        if (partial + ws < floor - 1e-6) continue;
        const s0 = d[r + 9]!;
        const required = d[r + 10]! - s0;
        let sk = neutral;
        if (required > 0) {
          let c = 0;
          // Up to 8 (INLINE_SKILLS) slots are in the row itself, two to a field: no second cache line.
          if (required <= 8 && inline) {
            for (let j = 0; j < required; j++) {
              const w = d[r + 12 + (j >> 1)]!;
              c += skillOf[j & 1 ? w >>> 16 : w & 0xffff]!;
            }
          } else {
            for (let j = s0, end = s0 + required; j < end; j++) c += skillOf[slots[j]!]!;
          }
          sk = c / required;
        }
        const raw = partial + ws * sk;
        if (raw < floor - 1e-6) continue;
        const score = roundScore(raw);
        if (score < floor) continue;
        h.offer(score, v);
        floor = h.floor;
      }
    }
    candidatesConsidered += considered;
    pairsScored += scored;
  }

  /** Queues the list of `key` the seeker reads; returns its width. */
  const push = (p: Postings, key: number, kind: number): number => {
    const width = readWidth(p, key, sDistrict, sStreet);
    const list = postingRows(p, key, sDistrict, sStreet, width);
    if (list.length) {
      lists.push(list);
      listKind.push(kind);
      listWidth.push(width);
    }
    return width;
  };
  const pushAll = (p: Postings, ids: readonly number[], kind: number): number => {
    let width = 2;
    for (const id of ids) width = Math.min(width, push(p, id, kind));
    return width;
  };

  const ranked: RankedBuffer = { scores: new Float64Array(cfg.topK), items: new Int32Array(cfg.topK) };

  /** Ranks the best k vacancies for a seeker into `ranked`, best first; returns how many. */
  function rank(seeker: SeekerInput, k: number, into: RankedBuffer = ranked): number {
    if (!Number.isInteger(k) || k < 0) throw new RangeError('k must be a non-negative integer');
    prepare(seeker);
    heap.reset(k);
    if (k === 0) return 0;
    // Strong keys first, so the heap floor rises early and prunes the weaker ones.
    lists.length = listKind.length = listWidth.length = 0;
    if (sCommunity >= 0) push(ix.byCommunity, sCommunity, KIND_FIRST);
    occupationWidth = pushAll(ix.byOccupation, keys.occupations, KIND_FIRST);
    skillWidth = pushAll(ix.bySkill, keys.skills, KIND_FIRST);
    groupWidth = pushAll(ix.byGroup, keys.groups, KIND_GROUP);
    familyWidth = pushAll(ix.byFamily, keys.families, KIND_FAMILY);
    push(ix.openToAll, 0, KIND_OTHER);
    if (sMask !== 0) {
      for (let c = 0; c < 8; c++) if (sMask & (1 << c)) push(ix.reserved, c, KIND_OTHER);
      push(ix.publicWelfare, 0, KIND_OTHER);
    }
    scanLists();
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
      const vacancy = ix.vacancies[v]!;
      const kept: { score: number; seeker: SeekerInput }[] = [];
      const ids = new Set<string>();
      // One pair per seeker: the readable twin of the scoring loop (explain.ts; the two agree to the bit),
      // without preparing the seeker's lists and tables for a single vacancy.
      for (const s of seekers) {
        if (ids.has(s.id)) continue;
        ids.add(s.id);
        if (!eligible(s, vacancy)) continue;
        pairsScored++;
        kept.push({ score: scoreOf(pairFit(s, vacancy).factors, w), seeker: s });
      }
      kept.sort((a, b) => b.score - a.score || (a.seeker.id < b.seeker.id ? -1 : a.seeker.id > b.seeker.id ? 1 : 0));
      return kept.slice(0, k).map(({ score, seeker }, i): Candidate => ({ seekerId: seeker.id, rank: i + 1, score, ...explainPair(seeker, vacancy) }));
    },
    stats: () => ({ pairsScored, candidatesConsidered }),
  };
}
