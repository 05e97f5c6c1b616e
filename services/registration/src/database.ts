import type { ColumnType, Generated } from 'kysely';
import type { HardshipBasis } from '@reemploy/domain/hardship';
import type { PiiAuditTables } from '@reemploy/http-kit';
import type { MessagingTables } from '@reemploy/messaging';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** A nullable column that inserts may leave out. */
type Optional<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface JobSeekerTable {
  id: string;
  /** Null once the seeker is anonymised (retention), as are the encrypted fields. */
  id_number_hash: string | null;
  id_number_enc: string | null;
  name_enc: string | null;
  phone_enc: string | null;
  gender: string;
  birth_date: string;
  /** male-60, female-55 or female-50: the retirement date follows from it and the birth date. */
  retirement_scheme: string;
  community_code: string;
  education: string;
  skills: Generated<string[]>;
  desired_occupations: Generated<string[]>;
  expected_monthly_wage: number | null;
  able_to_work: boolean;
  willing_to_work: boolean;
  status: string;
  household_id: Optional<string>;
  relationship: Optional<string>;
  laid_off: Generated<boolean>;
  minimum_livelihood: Generated<boolean>;
  disabled: Generated<boolean>;
  unemployed_since: Optional<string>;
  hardship_categories: Generated<string[]>;
  employer_name: Optional<string>;
  status_since: Optional<Date>;
  content_hash: Optional<string>;
  anonymised_at: Optional<Date>;
  /** The spouse within the household, stored on both spouses. */
  spouse_id: Optional<string>;
  parent_ids: Generated<string[]>;
  own_minor_children: Generated<number>;
  raising_alone: Generated<boolean>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RegionTable {
  code: string;
  name: string;
  level: string;
  parent_code: string | null;
  kind: string;
  derived_community_type: string | null;
  community_type: string | null;
  version: Generated<number>;
  updated_at: UpdatedAt;
}

export interface RegionImportTable {
  prefix: string;
  source: string;
  nodes: number;
  imported_at: UpdatedAt;
}

export interface HouseholdTable {
  id: string;
  community_code: string;
  single_parent: boolean;
  minor_children: number;
  other_employed_members: number;
  hardship_categories: Generated<string[]>;
  zero_employment_since: Date | null;
  offer_deadline: Date | null;
  offered_at: Date | null;
  /** The sending platform's household number (bulk import), unique within the community. */
  household_key: Optional<string>;
  /** The minimum-livelihood certificate (低保), number encrypted; both null when none is recorded. */
  minimum_livelihood_certificate_enc: Optional<string>;
  minimum_livelihood_since: Optional<string>;
  /** What each household category rests on (HardshipBasis[]). */
  hardship_basis: ColumnType<HardshipBasis[], string | undefined, string>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface HouseholdCategoryHistoryTable {
  id: Generated<number>;
  household_id: string;
  hardship_categories: string[];
  previous: string[];
  /** Null on rows written before the basis was kept. */
  hardship_basis: ColumnType<HardshipBasis[] | null, string | null | undefined, never>;
  changed_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface EmploymentChangeTable {
  id: string;
  seeker_id: string;
  status: string;
  previous_status: string;
  at: Date;
  vacancy_id: string | null;
  employer_name: string | null;
  referral_id: string | null;
  recorded_by: string;
  created_at: CreatedAt;
}

export interface ServiceRecordTable {
  id: string;
  seeker_id: string;
  community_code: string;
  kind: string;
  at: Date;
  coordinator_id: string;
  note: string | null;
  created_at: CreatedAt;
}

export interface MaintenanceRunTable {
  job: string;
  day: string;
  changed: Generated<number>;
  finished_at: CreatedAt;
}

export interface RegistrationDB extends MessagingTables, PiiAuditTables {
  job_seekers: JobSeekerTable;
  regions: RegionTable;
  region_imports: RegionImportTable;
  households: HouseholdTable;
  household_category_history: HouseholdCategoryHistoryTable;
  employment_changes: EmploymentChangeTable;
  service_records: ServiceRecordTable;
  maintenance_runs: MaintenanceRunTable;
}
