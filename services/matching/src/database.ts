import type { ColumnType, Generated, Selectable } from 'kysely';
import type { MessagingTables } from '@reemploy/messaging';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface SeekerProjectionTable {
  seeker_id: string;
  household_id: string | null;
  community_code: string;
  gender: string;
  birth_date: string;
  /** Null for a row projected before snapshots carried the scheme: not known. */
  retirement_date: ColumnType<string | null, string | null | undefined, string | null>;
  education: string;
  skills: string[];
  desired_occupations: string[];
  expected_monthly_wage: number | null;
  able_to_work: boolean;
  willing_to_work: boolean;
  status: string;
  hardship_categories: string[];
  source_seq: number;
  categories_seq: Generated<number>;
  updated_at: Timestamp;
}

/** Seekers registration anonymised: a late snapshot of one changes nothing. */
export interface ForgottenSeekerTable {
  seeker_id: string;
  forgotten_at: Generated<Date>;
}

export interface VacancyProjectionTable {
  vacancy_id: string;
  vacancy_no: Generated<number>;
  employer_id: string;
  title: string;
  occupation_code: string;
  skills: string[];
  min_age: number;
  max_age: number;
  education_min: string;
  wage_min: number;
  wage_max: number;
  headcount: number;
  headcount_left: number;
  community_code: string;
  kind: string;
  source: string;
  reserved_for: string[];
  status: string;
  valid_until: Timestamp;
  source_seq: number;
  updated_at: Timestamp;
}

export interface ReservedPostProjectionTable {
  reserved_post_id: string;
  aid_base_id: string;
  vacancy_id: string;
  reserved_for: string[];
  quota: number;
  filled: number;
  status: string;
  source_seq: number;
  updated_at: Timestamp;
}

export type RunStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface MatchingRunTable {
  id: string;
  region_code: string | null;
  trigger: 'manual' | 'scheduled';
  requested_by: string;
  run_date: string | null;
  status: RunStatus;
  partitions_total: Generated<number>;
  partitions_done: Generated<number>;
  seekers: Generated<number>;
  vacancies: Generated<number>;
  candidates: Generated<number>;
  pairs_scored: Generated<number>;
  recommendations: Generated<number>;
  timings: ColumnType<Record<string, number>, string | undefined, string>;
  error: string | null;
  created_at: Generated<Date>;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface RunPartitionTable {
  run_id: string;
  partition_key: string;
  seekers: Generated<number>;
  pairs_scored: Generated<number>;
  compute_ms: number | null;
  done_at: Date | null;
}

/** One partition's staged candidate lists, packed (src/runs/staging.ts). */
export interface RunCandidateTable {
  run_id: string;
  partition_key: string;
  seekers: number;
  packed: Buffer;
}

export interface RecommendationTable {
  run_id: string;
  seeker_id: string;
  community_code: string;
  tier: number;
  vacancy_ids: string[];
  scores: number[];
}

export type ReferralStatus = 'pending' | 'hired' | 'rejected' | 'no-show' | 'declined' | 'withdrawn' | 'expired';

export interface ReferralTable {
  id: string;
  seeker_id: string;
  vacancy_id: string;
  household_id: string | null;
  community_code: string;
  vacancy_community_code: string;
  referred_by: string;
  created_by: string;
  is_priority_offer: boolean;
  status: ReferralStatus;
  reason: string | null;
  justified: boolean | null;
  note: string | null;
  created_at: Generated<Date>;
  outcome_at: Date | null;
  version: Generated<number>;
}

export interface MatchingDB extends MessagingTables {
  seekers: SeekerProjectionTable;
  forgotten_seekers: ForgottenSeekerTable;
  vacancies: VacancyProjectionTable;
  reserved_posts: ReservedPostProjectionTable;
  matching_runs: MatchingRunTable;
  run_partitions: RunPartitionTable;
  run_candidates: RunCandidateTable;
  recommendations: RecommendationTable;
  referrals: ReferralTable;
}

export type SeekerRow = Selectable<SeekerProjectionTable>;
export type VacancyRow = Selectable<VacancyProjectionTable>;
export type ReservedPostRow = Selectable<ReservedPostProjectionTable>;
export type RunRow = Selectable<MatchingRunTable>;
export type ReferralRow = Selectable<ReferralTable>;
