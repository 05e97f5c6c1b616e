export * from './service.ts';
export * from './context.ts';
export * from './app.ts';
export * from './run.ts';
export * from './pii-rotation.ts';
export * from './maintenance.ts';
export * from './purge.ts';
export { adminTokenBridge, operatorTools, type OperatorToolsOptions } from './admin-board.ts';
