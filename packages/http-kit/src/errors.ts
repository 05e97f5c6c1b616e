import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable, isStatementTimeout, isTransactionConflict } from '@reemploy/db';
import { isRedisUnavailable } from '@reemploy/messaging';
import { PiiIntegrityError } from '@reemploy/pii';
import { Problem, problemBody, problems, type FieldError } from './problem.ts';
import { scrubPii } from './logging.ts';
import { ResponseWriteError } from './response-serializer.ts';

const CONTEXT: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'header' };

// Fastify's own client errors, with messages that never echo the input.
const FASTIFY_ERRORS: Record<string, [number, string, string, string?]> = {
  FST_ERR_BAD_URL: [400, 'invalid-url', 'The URL is not valid (bad percent-encoding)', 'url'],
  FST_ERR_MAX_PARAM_LENGTH: [414, 'uri-too-long', 'A path parameter is longer than any this API accepts'],
  FST_ERR_ASYNC_CONSTRAINT: [400, 'bad-request', 'The request could not be routed'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body-too-large', 'The request body is larger than this route accepts'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported-media-type', 'This content type is not accepted here'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid-body', 'Content-Length does not match the body'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid-body', 'The JSON body is empty'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid-body', 'The body is not valid JSON'],
  FST_ERR_CTP_EMPTY_TYPE: [400, 'invalid-body', 'Content-Type is empty'],
  FST_ERR_CTP_INVALID_TYPE: [400, 'invalid-body', 'Content-Type is not valid'],
};

function zodFieldErrors(err: FastifyError & { validation: unknown[]; validationContext?: string }): FieldError[] {
  const ctx = CONTEXT[err.validationContext ?? 'body'] ?? 'body';
  const out: FieldError[] = [];
  for (const v of err.validation as { keyword?: string; instancePath: string; message?: string; params?: { keys?: string[] } }[]) {
    const path = v.instancePath.split('/').filter(Boolean).join('.');
    const base = path ? `${ctx}.${path}` : ctx;
    if (v.keyword === 'unrecognized_keys' && v.params?.keys) {
      for (const key of v.params.keys) out.push({ field: `${base}.${key}`, message: 'is not a known property' });
    } else {
      out.push({ field: base, message: v.message ?? 'is not valid' });
    }
  }
  return out;
}

function toProblem(err: FastifyError, unavailable: (e: unknown) => boolean): { problem: Problem; log: boolean } {
  if (err instanceof Problem) return { problem: err, log: err.status >= 500 && err.status !== 503 };
  // Tampering, or a value copied between rows: refused, and logged (table, column and row id; never the value).
  if (err instanceof PiiIntegrityError) return { problem: problems.piiIntegrity(), log: true };
  if (hasZodFastifySchemaValidationErrors(err)) return { problem: problems.validation(zodFieldErrors(err)), log: false };
  if (isResponseSerializationError(err) || err instanceof ResponseWriteError) return { problem: new Problem(500, 'internal', 'Internal error'), log: true };
  if (unavailable(err)) return { problem: problems.unavailable('A backing store is unavailable; retry shortly'), log: true };
  const known = err.code ? FASTIFY_ERRORS[err.code] : undefined;
  if (known) return { problem: new Problem(known[0], known[1], known[2], known[2], known[0] === 400 ? [{ field: known[3] ?? 'body', message: known[2] }] : undefined), log: false };
  if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON|prototype|constructor/i.test(err.message))) {
    return { problem: new Problem(400, 'invalid-body', 'The body is not valid JSON', 'The body is not valid JSON', [{ field: 'body', message: 'not valid JSON' }]), log: false };
  }
  if (err.statusCode === 429) return { problem: problems.tooMany('Rate limit exceeded'), log: false };
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return { problem: new Problem(err.statusCode, 'bad-request', 'Bad request', 'The request could not be handled'), log: false };
  }
  if (err.statusCode === 503) return { problem: problems.unavailable('The service is overloaded; retry shortly'), log: false };
  return { problem: new Problem(500, 'internal', 'Internal error', 'An unexpected error occurred; it has been logged'), log: true };
}

export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply, unavailable: (e: unknown) => boolean) {
  const { problem, log } = toProblem(err as FastifyError, unavailable);
  if (log) {
    // Message and code only: driver errors can carry row values in their detail.
    const e = err as { message?: string; code?: string; stack?: string };
    request.log.error({ err: { message: scrubPii(e.message ?? ''), code: e.code, stack: scrubPii(e.stack ?? '') } }, 'request failed');
  }
  // A 503 says when to come back: what its source said (load shedding, busy imports), else a second.
  if (problem.status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', '1');
  if (problem.status === 429 && typeof problem.extra.retryAfter === 'number') reply.header('retry-after', String(problem.extra.retryAfter));
  // The path can carry what a caller mistook for an id (an identity number): never echo it; nor
  // anything shaped like an identity number or phone in the detail or the failing fields' names.
  const body = problemBody(problem, scrubPii(request.url.split('?')[0] ?? request.url), String(request.id));
  if (body.detail) body.detail = scrubPii(body.detail);
  if (body.errors) body.errors = body.errors.map((e) => ({ field: scrubPii(e.field), message: scrubPii(e.message) }));
  reply.code(problem.status).type('application/problem+json').send(body);
}

/**
 * Failures a caller should simply retry (503 with Retry-After): Postgres or
 * Redis out of reach, a write that kept losing deadlock or serialization
 * races after its own retries, or a statement Postgres cancelled at its timeout.
 */
export function isTemporaryFailure(err: unknown): boolean {
  return isDatabaseUnavailable(err) || isRedisUnavailable(err) || isTransactionConflict(err) || isStatementTimeout(err);
}

/** Every error and every unknown path answered as application/problem+json. */
export const errors = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((err, request, reply) => handleError(err, request, reply, isTemporaryFailure));
    // The path can carry an identity number or phone (a caller's mistake): never echoed.
    app.setNotFoundHandler((request, reply) => handleError(problems.notFound(`${request.method} ${scrubPii(request.url.split('?')[0] ?? '')}`), request, reply, () => false));
  },
  { name: 'reemploy-errors', fastify: '5.x' },
);
