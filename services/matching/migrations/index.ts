import type { MigrationSet } from '@reemploy/db';
import { messagingMigration20261129 } from '@reemploy/messaging';
import * as projection from './2026-11-29-01-projection.ts';
import * as matchingTables from './2026-11-29-02-matching.ts';
import * as partitionStaging from './2026-11-29-03-partition-staging.ts';
import * as loggedStaging from './2026-11-29-04-logged-staging.ts';
import * as stagingUncompressed from './2026-11-29-05-staging-uncompressed.ts';
import * as recommendationsNoFk from './2026-11-29-06-recommendations-no-fk.ts';
import * as forgottenSeekers from './2026-11-30-07-forgotten-seekers.ts';
import * as hiredReferralsByVacancy from './2026-11-30-08-hired-referrals-by-vacancy.ts';
import * as retirementDate from './2026-12-07-09-retirement-date.ts';

/** In order of their names; never edit one that has shipped. */
export const migrations: MigrationSet = {
  '2026-11-29-00-messaging': messagingMigration20261129,
  '2026-11-29-01-projection': projection,
  '2026-11-29-02-matching': matchingTables,
  '2026-11-29-03-partition-staging': partitionStaging,
  '2026-11-29-04-logged-staging': loggedStaging,
  '2026-11-29-05-staging-uncompressed': stagingUncompressed,
  '2026-11-29-06-recommendations-no-fk': recommendationsNoFk,
  '2026-11-30-07-forgotten-seekers': forgottenSeekers,
  '2026-11-30-08-hired-referrals-by-vacancy': hiredReferralsByVacancy,
  '2026-12-07-09-retirement-date': retirementDate,
};
