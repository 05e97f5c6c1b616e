import { z } from 'zod';

export interface FieldError {
  /** Where: `body.idNumber`, `query.limit`, `params.id`, `header.if-match`. */
  field: string;
  message: string;
}

/**
 * An RFC 9457 problem. `code` is stable and documented; `type` is derived
 * from it. Extra members (e.g. `existingId`) are carried as they are.
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
    this.name = 'Problem';
  }
}

/** The stable problem codes of the API, one row each. */
export const problems = {
  validation: (errors: FieldError[], detail = 'The request is not valid') => new Problem(400, 'validation-failed', 'Invalid request', detail, errors),
  field: (field: string, message: string) => new Problem(400, 'validation-failed', 'Invalid request', `${field}: ${message}`, [{ field, message }]),
  unauthorized: () => new Problem(401, 'unauthorized', 'Authentication required', 'A valid bearer token is required'),
  forbidden: (detail: string) => new Problem(403, 'forbidden', 'Forbidden', detail),
  outsideRegions: (field: string) =>
    new Problem(403, 'outside-regions', 'Outside your regions', `${field} is outside the regions your token allows`, [{ field, message: 'outside your regions' }]),
  notFound: (what: string) => new Problem(404, 'not-found', 'Not found', `${what} was not found`),
  conflict: (detail: string, extra: Record<string, unknown> = {}) => new Problem(409, 'conflict', 'Conflict', detail, undefined, extra),
  duplicate: (detail: string, existingId: string) => new Problem(409, 'duplicate', 'Already exists', detail, undefined, { existingId }),
  preconditionFailed: () => new Problem(412, 'precondition-failed', 'Precondition failed', 'If-Match does not match the current ETag; read the resource again'),
  preconditionRequired: () =>
    new Problem(428, 'precondition-required', 'Precondition required', 'Send If-Match with the ETag you read', [{ field: 'header.if-match', message: 'required' }]),
  unprocessable: (detail: string) => new Problem(422, 'unprocessable', 'Unprocessable request', detail),
  tooMany: (detail: string) => new Problem(429, 'rate-limited', 'Too many requests', detail),
  limitReached: (detail: string) => new Problem(429, 'limit-reached', 'Limit reached', detail),
  unavailable: (detail: string) => new Problem(503, 'unavailable', 'Service unavailable', detail),
  piiIntegrity: () =>
    new Problem(
      409,
      'pii-integrity',
      'Stored personal information failed its integrity check',
      'The personal information stored with this record does not belong to it (altered, or copied from another record); it is not shown, and the failure is logged for an operator',
    ),
};

export const problemSchema = z
  .object({
    type: z.string().describe('urn:problem:reemploy:<code>'),
    title: z.string(),
    status: z.number().int(),
    code: z.string().describe('Stable machine-readable code'),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export type ProblemBody = z.infer<typeof problemSchema>;

/**
 * The most failing fields a problem names. A body of thousands of unknown keys would otherwise
 * be answered with an entry for each: many times the request's size, for nothing a caller needs.
 */
export const MAX_FIELD_ERRORS = 50;

export function problemBody(p: Problem, instance: string, requestId: string): ProblemBody {
  const errors = p.errors && p.errors.length > MAX_FIELD_ERRORS ? p.errors.slice(0, MAX_FIELD_ERRORS) : p.errors;
  const detail = errors !== p.errors ? `${p.detail ?? p.title} (the first ${MAX_FIELD_ERRORS} of ${p.errors!.length} failing fields are named)` : p.detail;
  return {
    type: `urn:problem:reemploy:${p.code}`,
    title: p.title,
    status: p.status,
    code: p.code,
    ...(detail ? { detail } : {}),
    instance,
    ...(errors ? { errors } : {}),
    requestId,
    ...p.extra,
  };
}
