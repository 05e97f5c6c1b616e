import type { MigrationSet } from '@reemploy/db';
import { messagingMigration20261129 } from '@reemploy/messaging';
import * as postings from './2026-11-29-01-postings.ts';
import * as reservedPosts from './2026-11-30-02-reserved-posts.ts';
import * as piiAuditRegions from './2026-12-08-10-pii-audit-regions.ts';

/** In order of their names; never edit one that has shipped. */
export const migrations: MigrationSet = {
  '2026-11-29-00-messaging': messagingMigration20261129,
  '2026-11-29-01-postings': postings,
  '2026-11-30-02-reserved-posts': reservedPosts,
  '2026-12-08-10-pii-audit-regions': piiAuditRegions,
};
