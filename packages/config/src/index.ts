export * from './env.ts';
export * from './key-strength.ts';
export * from './secrets.ts';
export * from './tokens.ts';
