export { createDatabase, type Database, type DatabaseOptions } from './connect.ts';
export { migrateToLatest, dropSchema, type MigrationSet } from './migrate.ts';
export { isUniqueViolation, isDatabaseUnavailable, isTransactionConflict } from './errors.ts';
export { copyOutBinary, copyOutText, copyRows, copyText, copyTextCell, parseTextArray } from './copy.ts';
export { inClientTransaction, retryOnConflict, transact } from './transaction.ts';
export { connectionRole, dropServiceRole, provisionServiceRole, serviceRoleOf, SERVICE_GROUP, type ServiceRole } from './roles.ts';
