import type { EducationLevel, Gender, HardshipCategory, VacancyKind } from '@reemploy/domain';

/** What the engine needs to know about a job seeker (derived fields already derived). */
export interface SeekerInput {
  id: string;
  age: number;
  gender: Gender;
  education: EducationLevel;
  /** Skill codes `S012-03`. */
  skills: string[];
  /** Occupation codes `4-03-01`. */
  desiredOccupations: string[];
  expectedMonthlyWage: number | null;
  /** 12-digit community code; street, district and city are its prefixes. */
  communityCode: string;
  hardshipCategories: HardshipCategory[];
}

/** An open vacancy as the engine sees it. */
export interface VacancyInput {
  id: string;
  occupationCode: string;
  skills: string[];
  minAge: number;
  maxAge: number;
  educationMin: EducationLevel;
  wageMin: number;
  wageMax: number;
  headcountLeft: number;
  communityCode: string;
  kind: VacancyKind;
  reservedFor: HardshipCategory[];
  /** Reserved by an assistance base: only for hardship groups even when `reservedFor` is empty. */
  aidBase: boolean;
}

export type FactorName = 'skills' | 'occupation' | 'age' | 'wage' | 'proximity' | 'priority';

export const FACTOR_NAMES: readonly FactorName[] = ['skills', 'occupation', 'age', 'wage', 'proximity', 'priority'];

/** A plain explanation in simplified Chinese and English; `code` is stable for clients. */
export interface Reason {
  code: string;
  zh: string;
  en: string;
}

export interface Match {
  vacancyId: string;
  rank: number;
  score: number;
  factors: Record<FactorName, number>;
  reasons: Reason[];
}

export interface Candidate {
  seekerId: string;
  rank: number;
  score: number;
  factors: Record<FactorName, number>;
  reasons: Reason[];
}

export interface MatchingConfig {
  /** Non-negative; the score is the weighted sum divided by the sum of the weights. */
  weights: Record<FactorName, number>;
  topK: number;
  /** A vacancy with headcount h is put in at most ceil(capacityFactor * h) lists by `allocate`. */
  capacityFactor: number;
}

export interface MatcherStats {
  /** Pairs that passed the hard constraints and were scored. */
  pairsScored: number;
  /** Distinct candidate pairs the indexes produced (scored or rejected by a hard constraint). */
  candidatesConsidered: number;
}

export interface RankedBuffer {
  scores: Float64Array;
  items: Int32Array;
}

export interface Matcher {
  /** On demand: hard constraints applied, sorted by score then vacancy id, ranks 1..n. */
  rankForSeeker(seeker: SeekerInput, k?: number): Match[];
  /**
   * The batch's ranking without objects: the best k as positions in `vacancies` (id
   * order) and scores, best first, into `out` (grown when needed); returns how many.
   */
  rankInto(seeker: SeekerInput, k: number, out: RankedBuffer): number;
  /** The vacancies the matcher was built over, in id order: a position is an index here. */
  readonly vacancies: readonly VacancyInput[];
  /** The same ranking for the batch, which asks for more than topK before `allocate`. */
  candidatesFor(seeker: SeekerInput, k: number): Match[];
  /** The best seekers among `seekers` for one vacancy; [] when the vacancy is unknown or full. */
  rankCandidates(vacancyId: string, seekers: SeekerInput[], k?: number): Candidate[];
  stats(): MatcherStats;
}
