import type { ColumnType } from 'kysely';
import type { MessagingTables } from '@reemploy/messaging';

export interface SeekerProjectionTable {
  seeker_id: string;
  household_id: string | null;
  community_code: string;
  gender: string;
  birth_date: string;
  education: string;
  skills: string[];
  desired_occupations: string[];
  expected_monthly_wage: number | null;
  able_to_work: boolean;
  willing_to_work: boolean;
  status: string;
  hardship_categories: string[];
  source_seq: number;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface MatchingDB extends MessagingTables {
  seekers: SeekerProjectionTable;
}
