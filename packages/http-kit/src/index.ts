export * from './problem.ts';
export * from './auth.ts';
export * from './pagination.ts';
export * from './etag.ts';
export * from './logging.ts';
export * from './metrics.ts';
export * from './strict-input.ts';
export { platformPlugin, type PlatformOptions } from './platform.ts';
export { createFastify, type ServerOptions } from './server-options.ts';
