// The platform's plugins, one concern each, in the order a service's app.ts registers them.
export { errors, isTemporaryFailure } from './errors.ts';
export { protection, type ProtectionOptions } from './protection.ts';
export * from './auth.ts';
export { rateLimit, type RateLimitOptions } from './rate-limit.ts';
export { access, type RouteAccess } from './access.ts';
export { csvRecordTooLong, IMPORT_LIMITS_NOTE, importLines, imports, lineTooLong, MAX_IMPORT_LINE_BYTES, type ImportConcurrency } from './imports.ts';
export * from './strict-input.ts';
export { idempotency, type IdempotencyOptions } from './idempotency.ts';
export * from './pii-audit.ts';
export { language, preferredScript, SIMPLIFIED_TAG, storedEtag, variantEtag, type AnswerLanguage } from './language.ts';
export { docs, type DocsOptions, type ServiceDocument } from './docs.ts';
export { operational, type OperationalOptions } from './operational.ts';

export * from './problem.ts';
export * from './token-verifier.ts';
export * from './token-minting.ts';
export * from './pagination.ts';
export * from './etag.ts';
export * from './logging.ts';
export * from './metrics.ts';
export { fileSchema, uploadBody, XLSX_MEDIA_TYPE, type RouteResponseHeader } from './openapi.ts';
export { createFastify, type ServerOptions } from './server-options.ts';
