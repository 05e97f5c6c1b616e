export * from './tables.ts';
export * from './migration.ts';
export * from './redis.ts';
export * from './outbox.ts';
export * from './relay.ts';
export * from './consumer.ts';
export * from './queue.ts';
export * from './retention.ts';
