import type { ColumnType, Generated } from 'kysely';
import type { MessagingTables } from '@reemploy/messaging';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export interface EmployerTable {
  id: string;
  name: string;
  credit_code: string;
  community_code: string;
  address: string | null;
  contact_name_enc: string | null;
  contact_phone_enc: string | null;
  created_by: string;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface VacancyTable {
  id: string;
  employer_id: string;
  title: string;
  title_normalised: string;
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
  sources: string[];
  reserved_for: string[];
  description: string | null;
  valid_until: ColumnType<Date, Date | string, Date | string>;
  status: string;
  status_reason: string | null;
  closed_at: Date | null;
  merged_into: string | null;
  merged_from: Generated<string[]>;
  refreshed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  created_by: string;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface VacancyHireTable {
  referral_id: string;
  vacancy_id: string;
  seeker_id: string;
  hired_at: Date | string;
  recorded_at: CreatedAt;
}

/** An assistance base's reserved post, as its newest `reserved-post.changed` left it. */
export interface ReservedPostTable {
  reserved_post_id: string;
  vacancy_id: string;
  aid_base_id: string;
  reserved_for: string[];
  quota: number;
  filled: number;
  status: string;
  /** The producer's outbox sequence of the snapshot held: older ones change nothing. */
  source_seq: ColumnType<string, number, number>;
  updated_at: UpdatedAt;
}

export interface JobFairTable {
  id: string;
  name: string;
  date: ColumnType<string, string, string>;
  starts_at: string | null;
  ends_at: string | null;
  venue: string;
  community_code: string;
  target_groups: string[];
  organiser: string | null;
  description: string | null;
  created_by: string;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface JobFairVacancyTable {
  job_fair_id: string;
  vacancy_id: string;
  attached_by: string;
  attached_at: CreatedAt;
}

export interface MaintenanceRunTable {
  job: string;
  day: string;
  expired: Generated<number>;
  unpublished: Generated<number>;
  finished_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface JobPostingsDB extends MessagingTables {
  employers: EmployerTable;
  vacancies: VacancyTable;
  vacancy_hires: VacancyHireTable;
  reserved_posts: ReservedPostTable;
  job_fairs: JobFairTable;
  job_fair_vacancies: JobFairVacancyTable;
  maintenance_runs: MaintenanceRunTable;
}
