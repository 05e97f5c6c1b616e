import { EDUCATION_LEVELS } from '@reemploy/domain';
import { resolveConfig } from './config.ts';
import { ALL_CATEGORIES_MASK, categoryMask, priorityTier } from './hardship.ts';
import type { Match, MatchingConfig, SeekerInput, VacancyInput } from './types.ts';

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const educationRank = (level: string): number => Math.max(0, EDUCATION_LEVELS.indexOf(level as (typeof EDUCATION_LEVELS)[number]));

/**
 * Categories a seeker must hold one of to take the post; 0 = open to everyone. An
 * assistance-base or public-welfare post naming no category is for any hardship group (SPEC §3).
 */
export function requiredMask(v: VacancyInput): number {
  const reserved = categoryMask(v.reservedFor);
  return reserved !== 0 ? reserved : v.aidBase || v.kind === 'public-welfare' ? ALL_CATEGORIES_MASK : 0;
}

/** The SPEC §5 hard constraints for one pair. */
export function eligible(seeker: SeekerInput, v: VacancyInput): boolean {
  if (v.headcountLeft <= 0 || seeker.age < v.minAge || seeker.age > v.maxAge) return false;
  if (educationRank(seeker.education) < educationRank(v.educationMin)) return false;
  const required = requiredMask(v);
  return required === 0 || (required & categoryMask(seeker.hardshipCategories)) !== 0;
}

/** The vacancies of a packed allocation, by position (the tie-break: a smaller position wins a tie). */
export interface PackedVacancies {
  count: number;
  headcountLeft: Int32Array;
  minAge: Int32Array;
  maxAge: Int32Array;
  education: Int32Array;
  /** `requiredMask`: 0 = open to everyone. */
  required: Int32Array;
}

/**
 * The seekers of a packed allocation with their candidates. Seeker i's candidates are
 * `start[i]..start[i+1]` in `vacancy` (positions) and `score`. The seekers' index is the
 * last tie-break, so they come in id order.
 */
export interface PackedSeekers {
  count: number;
  tier: Uint8Array;
  age: Int32Array;
  education: Int32Array;
  /** `categoryMask` of the seeker's hardship categories. */
  mask: Int32Array;
  start: Int32Array;
  vacancy: Int32Array;
  score: Float64Array;
}

/** Seeker i's list is `pick[start[i]..start[i+1]]`, each an index into the input candidates, best first. */
export interface PackedAllocation {
  start: Int32Array;
  pick: Int32Array;
}

/** Lays vacancies out for `allocatePacked`, position = index in `vacancies`. */
export function packVacancies(vacancies: readonly VacancyInput[]): PackedVacancies {
  const n = vacancies.length;
  const out: PackedVacancies = {
    count: n, headcountLeft: new Int32Array(n), minAge: new Int32Array(n), maxAge: new Int32Array(n), education: new Int32Array(n), required: new Int32Array(n),
  };
  for (let i = 0; i < n; i++) {
    const v = vacancies[i]!;
    out.headcountLeft[i] = v.headcountLeft;
    out.minAge[i] = v.minAge;
    out.maxAge[i] = v.maxAge;
    out.education[i] = educationRank(v.educationMin);
    out.required[i] = requiredMask(v);
  }
  return out;
}

/** Seekers' serving order: by tier, then best score (highest first), then index. Exported for its test. */
export function servingOrder(tier: Uint8Array, best: Float64Array): number[] {
  const S = tier.length;
  // The engine's scores are millionths (roundScore): then one exact integer per seeker, tier, score
  // and index together, sorts natively (46 bits: tier < 8, 2,000,001 scores from -1 to 1, index < 2^21).
  if (S <= 1 << 21) {
    const keys = new Float64Array(S);
    let exact = true;
    for (let i = 0; i < S && exact; i++) {
      const m = Math.round(best[i]! * 1e6);
      exact = m / 1e6 === best[i] && tier[i]! < 8 && m >= -1e6 && m <= 1e6;
      keys[i] = (tier[i]! * 2_097_152 + (1e6 - m)) * 2_097_152 + i;
    }
    if (exact) {
      keys.sort();
      const order = new Array<number>(S);
      for (let x = 0; x < S; x++) order[x] = keys[x]! % 2_097_152;
      return order;
    }
  }
  const order = new Array<number>(S);
  for (let i = 0; i < S; i++) order[i] = i;
  return order.sort((x, y) => tier[x]! - tier[y]! || best[y]! - best[x]! || x - y);
}

/**
 * Capacity-aware allocation for the nightly batch. A vacancy with h places left is put
 * in at most ceil(capacityFactor × h) lists. Tiers are served one after the other
 * (zero-employment households first), so a scarce post goes to the higher tier; inside
 * a tier, seekers take turns one vacancy at a time in order of their best score (then
 * id), so that nobody's 20th choice is served before someone else's first. The hard
 * constraints are checked again: whatever the caller passes, an ineligible seeker never
 * holds a reserved post.
 *
 * Works on typed arrays only: no object per candidate, so a city of 100,000 seekers with
 * 40 candidates each allocates in well under a second.
 */
export function allocatePacked(seekers: PackedSeekers, vacancies: PackedVacancies, config: { topK: number; capacityFactor: number }): PackedAllocation {
  const { topK, capacityFactor } = config;
  const S = seekers.count;
  const V = vacancies.count;
  const { start, vacancy, score } = seekers;
  const room = new Int32Array(V);
  for (let v = 0; v < V; v++) {
    const h = vacancies.headcountLeft[v]!;
    room[v] = h > 0 ? Math.ceil(capacityFactor * h - 1e-9) : 0;
  }
  const lastSeeker = new Int32Array(V).fill(-1);

  // Each seeker's usable candidates, best first: known, not repeated, with room, eligible.
  const total = start[S]!;
  const keptStart = new Int32Array(S + 1);
  const kept = new Int32Array(total);
  const best = new Float64Array(S);
  let n = 0;
  let order: number[] = [];
  for (let i = 0; i < S; i++) {
    keptStart[i] = n;
    const a = start[i]!;
    const b = start[i + 1]!;
    let sorted = true;
    for (let j = a + 1; j < b; j++) {
      const d = score[j - 1]! - score[j]!;
      if (d < 0 || (d === 0 && vacancy[j - 1]! > vacancy[j]!)) {
        sorted = false;
        break;
      }
    }
    if (!sorted) {
      order.length = 0;
      for (let j = a; j < b; j++) order.push(j);
      order.sort((x, y) => score[y]! - score[x]! || vacancy[x]! - vacancy[y]! || x - y);
    }
    const age = seekers.age[i]!;
    const edu = seekers.education[i]!;
    const mask = seekers.mask[i]!;
    for (let t = a; t < b; t++) {
      const j = sorted ? t : order[t - a]!;
      const v = vacancy[j]!;
      if (v < 0 || v >= V || lastSeeker[v] === i) continue;
      lastSeeker[v] = i;
      if (room[v]! <= 0 || age < vacancies.minAge[v]! || age > vacancies.maxAge[v]! || edu < vacancies.education[v]!) continue;
      const req = vacancies.required[v]!;
      if (req !== 0 && (req & mask) === 0) continue;
      kept[n++] = j;
    }
    best[i] = n > keptStart[i]! ? score[kept[keptStart[i]!]!]! : -1;
  }
  keptStart[S] = n;

  const tier = seekers.tier;
  order = servingOrder(tier, best);

  // The rounds below visit seekers in this order again and again: their lists are laid out in it
  // (seeker x of the order at x), so that each round reads memory front to back.
  const at = new Int32Array(S);
  const listStart = new Int32Array(S + 1);
  const list = new Int32Array(n);
  for (let x = 0, o = 0; x < S; x++) {
    const q = order[x]!;
    at[q] = x;
    listStart[x] = o;
    for (let c = keptStart[q]!, end = keptStart[q + 1]!; c < end; c++) list[o++] = kept[c]!;
  }
  listStart[S] = n;

  const next = listStart.slice(0, S);
  const taken = new Int32Array(S);
  const slots = new Int32Array(S * topK);
  const active = new Int32Array(S);
  for (let s = 0; s < S; ) {
    let e = s;
    while (e < S && tier[order[e]!] === tier[order[s]!]) e++;
    let m = 0;
    for (let x = s; x < e; x++) active[m++] = x;
    while (m > 0) {
      let still = 0;
      for (let y = 0; y < m; y++) {
        const x = active[y]!;
        const end = listStart[x + 1]!;
        while (next[x]! < end) {
          const j = list[next[x]!++]!;
          const v = vacancy[j]!;
          if (room[v]! <= 0) continue;
          room[v]!--;
          slots[x * topK + taken[x]!++] = j;
          break;
        }
        if (taken[x]! < topK && next[x]! < end) active[still++] = x;
      }
      m = still;
    }
    s = e;
  }

  const outStart = new Int32Array(S + 1);
  for (let i = 0; i < S; i++) outStart[i + 1] = outStart[i]! + taken[at[i]!]!;
  const pick = new Int32Array(outStart[S]!);
  for (let i = 0; i < S; i++) {
    const x = at[i]!;
    pick.set(slots.subarray(x * topK, x * topK + taken[x]!), outStart[i]!);
  }
  return { start: outStart, pick };
}

/**
 * `allocatePacked` over engine objects: seekers (a repeated id counts once), their
 * candidate lists by seeker id (unknown vacancies are dropped, lists need not be
 * sorted), the vacancies by id. Returns each seeker's final list with ranks 1..n,
 * keeping the factors and reasons of the candidates it was given.
 */
export function allocate(
  seekers: SeekerInput[],
  candidates: Map<string, Match[]>,
  vacancies: Map<string, VacancyInput> | VacancyInput[],
  config?: Partial<MatchingConfig>,
): Map<string, Match[]> {
  const cfg = resolveConfig(config);
  const byId = Array.isArray(vacancies) ? new Map(vacancies.map((v) => [v.id, v])) : vacancies;
  const list = [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
  const position = new Map<string, number>();
  list.forEach((v, i) => position.set(v.id, i));

  const known = new Set<string>();
  const unique: SeekerInput[] = [];
  for (const s of seekers) {
    if (known.has(s.id)) continue;
    known.add(s.id);
    unique.push(s);
  }
  const byIdOrder = [...unique].sort((a, b) => compareIds(a.id, b.id));
  const S = byIdOrder.length;
  const packed: PackedSeekers = {
    count: S, tier: new Uint8Array(S), age: new Int32Array(S), education: new Int32Array(S), mask: new Int32Array(S),
    start: new Int32Array(S + 1), vacancy: new Int32Array(0), score: new Float64Array(0),
  };
  const refs: Match[] = [];
  const vs: number[] = [];
  for (let i = 0; i < S; i++) {
    const s = byIdOrder[i]!;
    packed.tier[i] = priorityTier(s.hardshipCategories);
    packed.age[i] = s.age;
    packed.education[i] = educationRank(s.education);
    packed.mask[i] = categoryMask(s.hardshipCategories);
    packed.start[i] = refs.length;
    for (const m of candidates.get(s.id) ?? []) {
      const v = position.get(m.vacancyId);
      if (v === undefined) continue;
      refs.push(m);
      vs.push(v);
    }
  }
  packed.start[S] = refs.length;
  packed.vacancy = Int32Array.from(vs);
  packed.score = Float64Array.from(refs, (m) => m.score);
  const result = allocatePacked(packed, packVacancies(list), cfg);

  const listOf = new Map<string, Match[]>();
  for (let i = 0; i < S; i++) {
    const items: Match[] = [];
    for (let x = result.start[i]!; x < result.start[i + 1]!; x++) {
      const m = refs[result.pick[x]!]!;
      items.push({ vacancyId: m.vacancyId, rank: items.length + 1, score: m.score, factors: m.factors, reasons: m.reasons });
    }
    listOf.set(byIdOrder[i]!.id, items);
  }
  // In the order the seekers were given.
  return new Map(unique.map((s) => [s.id, listOf.get(s.id)!]));
}
