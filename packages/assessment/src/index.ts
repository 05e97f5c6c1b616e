export * from './standard.ts';
export * from './evaluate.ts';
export * from './summary.ts';
export * from './sampling.ts';
export * from './ledger.ts';
export * from './ledger-export.ts';
