export * from './signature.ts';
export * from './types.ts';
export * from './tables.ts';
export * from './fanout.ts';
export * from './dispatcher.ts';
export * from './routes.ts';
export * from './retention.ts';
