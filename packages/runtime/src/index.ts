export * from './service.ts';
export * from './context.ts';
export * from './app.ts';
export * from './run.ts';
