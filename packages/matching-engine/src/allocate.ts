import { EDUCATION_LEVELS } from '@reemploy/domain';
import { resolveConfig } from './config.ts';
import { ALL_CATEGORIES_MASK, categoryMask, priorityTier } from './hardship.ts';
import type { Match, MatchingConfig, SeekerInput, VacancyInput } from './types.ts';

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byScoreThenId = (a: Match, b: Match): number => b.score - a.score || compareIds(a.vacancyId, b.vacancyId);

const educationRank = (level: string): number => Math.max(0, EDUCATION_LEVELS.indexOf(level as (typeof EDUCATION_LEVELS)[number]));

/** Categories a seeker must hold one of to take the post; 0 = open to everyone. */
function requiredMask(v: VacancyInput): number {
  const reserved = categoryMask(v.reservedFor);
  return reserved !== 0 ? reserved : v.aidBase ? ALL_CATEGORIES_MASK : 0;
}

/** The SPEC §5 hard constraints for one pair. */
export function eligible(seeker: SeekerInput, v: VacancyInput): boolean {
  if (v.headcountLeft <= 0 || seeker.age < v.minAge || seeker.age > v.maxAge) return false;
  if (educationRank(seeker.education) < educationRank(v.educationMin)) return false;
  const required = requiredMask(v);
  return required === 0 || (required & categoryMask(seeker.hardshipCategories)) !== 0;
}

interface VacancyState {
  vacancy: VacancyInput;
  /** Places left in lists: ceil(capacityFactor × headcountLeft), counted down. */
  room: number;
  required: number;
  education: number;
  /** The last queue that listed it: drops a vacancy repeated in one seeker's candidates. */
  lastQueue: number;
}

interface Queue {
  seeker: SeekerInput;
  tier: number;
  best: number;
  matches: Match[];
  states: VacancyState[];
  next: number;
  taken: Match[];
}

/**
 * Capacity-aware allocation for the nightly batch. A vacancy with h places left is put
 * in at most ceil(capacityFactor × h) lists. Tiers are served one after the other
 * (zero-employment households first), so a scarce post goes to the higher tier; inside
 * a tier, seekers take turns one vacancy at a time in order of their best score (then
 * id), so that nobody's 20th choice is served before someone else's first. The hard
 * constraints are checked again: whatever the caller passes, an ineligible seeker never
 * holds a reserved post.
 */
export function allocate(
  seekers: SeekerInput[],
  candidates: Map<string, Match[]>,
  vacancies: Map<string, VacancyInput> | VacancyInput[],
  config?: Partial<MatchingConfig>,
): Map<string, Match[]> {
  const cfg = resolveConfig(config);
  const byId = Array.isArray(vacancies) ? new Map(vacancies.map((v) => [v.id, v])) : vacancies;
  const states = new Map<string, VacancyState>();
  const stateOf = (id: string): VacancyState | null => {
    let st = states.get(id);
    if (st) return st;
    const vacancy = byId.get(id);
    if (!vacancy) return null;
    const room = vacancy.headcountLeft > 0 ? Math.ceil(cfg.capacityFactor * vacancy.headcountLeft - 1e-9) : 0;
    states.set(id, (st = { vacancy, room, required: requiredMask(vacancy), education: educationRank(vacancy.educationMin), lastQueue: -1 }));
    return st;
  };

  const queues: Queue[] = [];
  const known = new Set<string>();
  for (const seeker of seekers) {
    if (known.has(seeker.id)) continue;
    known.add(seeker.id);
    const q = queues.length;
    const mask = categoryMask(seeker.hardshipCategories);
    const edu = educationRank(seeker.education);
    let input = candidates.get(seeker.id) ?? [];
    for (let i = 1; i < input.length; i++) {
      if (byScoreThenId(input[i - 1]!, input[i]!) > 0) {
        input = [...input].sort(byScoreThenId);
        break;
      }
    }
    const matches: Match[] = [];
    const kept: VacancyState[] = [];
    for (const match of input) {
      const st = stateOf(match.vacancyId);
      if (!st || st.lastQueue === q) continue;
      st.lastQueue = q;
      const v = st.vacancy;
      if (st.room <= 0 || seeker.age < v.minAge || seeker.age > v.maxAge || edu < st.education) continue;
      if (st.required !== 0 && (st.required & mask) === 0) continue;
      matches.push(match);
      kept.push(st);
    }
    queues.push({ seeker, tier: priorityTier(seeker.hardshipCategories), best: matches[0]?.score ?? -1, matches, states: kept, next: 0, taken: [] });
  }
  const order = [...queues].sort((a, b) => a.tier - b.tier || b.best - a.best || compareIds(a.seeker.id, b.seeker.id));

  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end < order.length && order[end]!.tier === order[start]!.tier) end++;
    let active = order.slice(start, end);
    while (active.length > 0) {
      const still: Queue[] = [];
      for (const q of active) {
        while (q.next < q.matches.length) {
          const state = q.states[q.next]!;
          const match = q.matches[q.next++]!;
          if (state.room <= 0) continue;
          state.room--;
          q.taken.push(match);
          break;
        }
        if (q.taken.length < cfg.topK && q.next < q.matches.length) still.push(q);
      }
      active = still;
    }
    start = end;
  }

  const out = new Map<string, Match[]>();
  for (const q of queues) {
    out.set(q.seeker.id, q.taken.map((m, i) => ({ vacancyId: m.vacancyId, rank: i + 1, score: m.score, factors: m.factors, reasons: m.reasons })));
  }
  return out;
}
