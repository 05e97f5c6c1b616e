import type { MigrationSet } from '@reemploy/db';
import { messagingMigration20261129 } from '@reemploy/messaging';
import * as aidBases from './2026-11-29-01-aid-bases.ts';

/** In order of their names; never edit one that has shipped. */
export const migrations: MigrationSet = {
  '2026-11-29-00-messaging': messagingMigration20261129,
  '2026-11-29-01-aid-bases': aidBases,
};
