export * from './envelope.ts';
export * from './contracts.ts';
export * from './queues.ts';
