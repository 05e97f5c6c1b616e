import { explainPair } from './explain.ts';
import type { FactorName, Match, Reason, SeekerInput, VacancyInput } from './types.ts';

/**
 * A batch candidate: factors and reasons are worked out on first access, because the
 * batch asks for several times more candidates than it keeps. Spreading it (`{...m}`)
 * drops them; `allocate` and JSON.stringify keep them.
 */
export class LazyMatch implements Match {
  readonly vacancyId: string;
  rank: number;
  readonly score: number;
  #vacancy: VacancyInput;
  #seeker: SeekerInput;
  #explained: { factors: Record<FactorName, number>; reasons: Reason[] } | null = null;

  constructor(vacancy: VacancyInput, rank: number, score: number, seeker: SeekerInput) {
    this.vacancyId = vacancy.id;
    this.rank = rank;
    this.score = score;
    this.#vacancy = vacancy;
    this.#seeker = seeker;
  }

  private get explained() {
    return (this.#explained ??= explainPair(this.#seeker, this.#vacancy));
  }

  get factors(): Record<FactorName, number> {
    return this.explained.factors;
  }

  get reasons(): Reason[] {
    return this.explained.reasons;
  }

  toJSON(): Match {
    return { vacancyId: this.vacancyId, rank: this.rank, score: this.score, factors: this.factors, reasons: this.reasons };
  }
}
