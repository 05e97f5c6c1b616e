export * from './envelope.ts';
export * from './contracts.ts';
export * from './jobs.ts';
