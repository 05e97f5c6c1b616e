import { scrubPii, type Caller } from '@reemploy/http-kit';

export const ADMIN_SCOPE = 'admin';
/** Changing jobs (add, edit, retry, clean, promote, pause, …) needs this beside the admin scope. */
export const QUEUES_WRITE_SCOPE = 'queues:write';

/**
 * Personal fields of job data: the birth date a seeker snapshot carries is
 * digits 7-14 of the identity number, so it is as personal as the number.
 */
const PERSONAL_FIELDS = new Set(['birthDate', 'idNumber', 'phone', 'contactPhone']);
export const MASKED = '[masked]';

/** Personal fields hidden at any depth, and any string shaped like an identity number or a phone scrubbed. */
function masked(value: unknown): unknown {
  if (typeof value === 'string') return scrubPii(value);
  if (Array.isArray(value)) return value.map(masked);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, PERSONAL_FIELDS.has(key) && v !== null ? MASKED : masked(v)]));
}

interface BoardQueue {
  readOnlyMode?: boolean;
  allowRetries?: boolean;
  allowCompletedRetries?: boolean;
}

/**
 * A dashboard answer as this caller may see it. bull-board's own read-only
 * mode and formatters are fixed per queue, not per caller, so the answer is
 * shaped here: without `queues:write` every queue says it is read-only (the
 * page then offers no action; the routes refuse them anyway), and without
 * `pii:read` job data shows no personal field.
 */
export function boardAnswerFor(caller: Caller, answer: unknown): unknown {
  let shaped = answer;
  const queues = (answer as { queues?: unknown } | null)?.queues;
  if (!caller.scopes.has(QUEUES_WRITE_SCOPE) && Array.isArray(queues)) {
    shaped = { ...(answer as object), queues: queues.map((q: BoardQueue) => ({ ...q, readOnlyMode: true, allowRetries: false, allowCompletedRetries: false })) };
  }
  return caller.scopes.has('pii:read') ? shaped : masked(shaped);
}

/** Whether the caller may watch the whole city's queues: the admin scope, and regions covering the city. */
export function isCityOperator(caller: Caller, cityCode: string): boolean {
  return caller.scopes.has(ADMIN_SCOPE) && caller.regions.some((prefix) => cityCode.startsWith(prefix));
}
