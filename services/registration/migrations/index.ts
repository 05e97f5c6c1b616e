import type { MigrationSet } from '@reemploy/db';
import { messagingMigration20261129 } from '@reemploy/messaging';
import * as jobSeekers from './2026-11-29-01-job-seekers.ts';
import * as regions from './2026-11-29-02-regions.ts';
import * as households from './2026-11-29-03-households.ts';
import * as assessment from './2026-11-29-50-assessment.ts';
import * as escalations from './2026-11-29-60-escalations.ts';
import * as importHouseholds from './2026-11-29-70-import-households.ts';
import * as retention from './2026-11-29-80-retention.ts';
import * as retirementScheme from './2026-12-07-20-retirement-scheme.ts';
import * as piiAuditRegions from './2026-12-08-10-pii-audit-regions.ts';
import * as answersWithoutBirthDate from './2026-12-08-11-answers-without-birth-date.ts';
import * as householdLinks from './2026-12-08-12-household-links.ts';
import * as standardCollection from './2026-12-08-13-standard-collection.ts';

/** In order of their names; never edit one that has shipped. */
export const migrations: MigrationSet = {
  '2026-11-29-00-messaging': messagingMigration20261129,
  '2026-11-29-01-job-seekers': jobSeekers,
  '2026-11-29-02-regions': regions,
  '2026-11-29-03-households': households,
  '2026-11-29-50-assessment': assessment,
  '2026-11-29-60-escalations': escalations,
  '2026-11-29-70-import-households': importHouseholds,
  '2026-11-29-80-retention': retention,
  '2026-12-07-20-retirement-scheme': retirementScheme,
  '2026-12-08-10-pii-audit-regions': piiAuditRegions,
  '2026-12-08-11-answers-without-birth-date': answersWithoutBirthDate,
  '2026-12-08-12-household-links': householdLinks,
  '2026-12-08-13-standard-collection': standardCollection,
};
