export { createDatabase, DEFAULT_SESSION_LIMITS, type Database, type DatabaseOptions, type SessionLimits } from './connect.ts';
export { migrateToLatest, pendingMigrations, dropSchema, type MigrationSet } from './migrate.ts';
export { isUniqueViolation, isDatabaseUnavailable, isStatementTimeout, isTransactionConflict } from './errors.ts';
export { copyOutBinary, copyOutText, copyRows, copyText, copyTextCell, parseTextArray } from './copy.ts';
export { allowLongStatements, inClientTransaction, retryOnConflict, transact } from './transaction.ts';
export { connectionRole, dropServiceRole, provisionServiceRole, serviceRoleOf, SERVICE_GROUP, type ServiceRole } from './roles.ts';
export { createdKeyset, keysetPage, type Keyset, type KeysetColumn } from './keyset.ts';
export { upsertSnapshot } from './snapshot.ts';
