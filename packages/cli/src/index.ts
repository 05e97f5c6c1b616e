export * from './config.ts';
export * from './http.ts';
export * from './progress.ts';
export * from './read-rows.ts';
export * from './import.ts';
export * from './matching.ts';
export * from './ledger.ts';
