import type { ColumnType, Generated } from 'kysely';
import type { MessagingTables } from '@reemploy/messaging';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export interface AidBaseTable {
  id: string;
  name: string;
  community_code: string;
  address: string;
  sectors: string[];
  joined_year: number;
  /** `existing` (the 13 before the drive), `added` (the 16 it added) or `later`. */
  cohort: string;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** This service's copy of job-postings' vacancies, from their snapshots. */
export interface VacancyProjectionTable {
  vacancy_id: string;
  employer_id: string;
  title: string;
  occupation_code: string;
  community_code: string;
  kind: string;
  headcount: number;
  headcount_left: number;
  status: string;
  valid_until: ColumnType<Date, Date | string, Date | string>;
  source_seq: ColumnType<number, number, number>;
  updated_at: UpdatedAt;
}

export interface ReservedPostTable {
  id: string;
  aid_base_id: string;
  vacancy_id: string;
  reserved_for: string[];
  quota: number;
  filled: Generated<number>;
  status: Generated<string>;
  withdrawn_reason: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface PlacementTable {
  referral_id: string;
  reserved_post_id: string;
  aid_base_id: string;
  vacancy_id: string;
  seeker_id: string;
  hardship_categories: string[];
  hired_at: ColumnType<Date, Date | string, never>;
  /** YYYY-MM in the city's time zone, for the monthly figures. */
  month: string;
  created_at: CreatedAt;
}

export interface AssistanceBasesDB extends MessagingTables {
  aid_bases: AidBaseTable;
  vacancies: VacancyProjectionTable;
  reserved_posts: ReservedPostTable;
  placements: PlacementTable;
}
