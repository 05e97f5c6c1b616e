import type { ColumnType, Kysely, Transaction } from 'kysely';
import type { CollectionRule } from '@reemploy/assessment';
import type { RegistrationContext } from '../context.ts';
import type { RegistrationDB } from '../database.ts';

type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface AssessmentStandardTable {
  community_type: string;
  version: number;
  targets: ColumnType<Record<string, number>, string, string>;
  collection: ColumnType<CollectionRule, string | undefined, string>;
  note: string | null;
  changed_by: string;
  changed_at: Stamp;
}

export interface AssessmentApplicationTable {
  id: string;
  community_code: string;
  period: string;
  applied_by: string;
  created_at: Stamp;
}

export interface AssessmentTable {
  community_code: string;
  period: string;
  community_type: string;
  standard_version: number;
  passed: boolean;
  criteria: ColumnType<unknown, string, string>;
  first_assessed_at: Stamp;
  assessed_at: Stamp;
}

export interface AssessmentSampleTable {
  id: string;
  kind: string;
  period: string;
  region_code: string;
  seed: string;
  size: ColumnType<unknown, string, string>;
  parent_id: string | null;
  population: number;
  items: string[];
  strata: ColumnType<unknown, string, string>;
  created_by: string;
  created_at: Stamp;
}

export interface AssessmentActivityTable {
  event_id: string;
  kind: string;
  community_code: string;
  occurred_at: ColumnType<Date, Date | string, Date | string>;
  quantity: number;
  aid_base_id: string | null;
}

/** The assessment module's own tables, next to the registration tables it reads. */
export type AssessmentTables = {
  assessment_standards: AssessmentStandardTable;
  assessment_applications: AssessmentApplicationTable;
  assessments: AssessmentTable;
  assessment_samples: AssessmentSampleTable;
  assessment_activity: AssessmentActivityTable;
};

export type AssessmentDB = RegistrationDB & AssessmentTables;
export type Db = Kysely<AssessmentDB> | Transaction<AssessmentDB>;

/** The service's database seen with the assessment tables too. */
export function assessmentDb(ctx: RegistrationContext): Kysely<AssessmentDB> {
  return ctx.db.withTables<AssessmentTables>();
}
