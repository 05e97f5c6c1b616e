import type { ColumnType, Generated } from 'kysely';
import type { MessagingTables } from '@reemploy/messaging';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface JobSeekerTable {
  id: string;
  id_number_hash: string;
  id_number_enc: string;
  name_enc: string;
  phone_enc: string | null;
  gender: string;
  birth_date: string;
  community_code: string;
  education: string;
  skills: string[];
  desired_occupations: string[];
  expected_monthly_wage: number | null;
  able_to_work: boolean;
  willing_to_work: boolean;
  status: string;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface RegistrationDB extends MessagingTables {
  job_seekers: JobSeekerTable;
}
