interface PgError {
  code?: string;
  constraint?: string;
}

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as PgError;
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004', '53300']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

/** True when the error means "Postgres is not reachable right now" rather than a bad query. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as PgError & { message?: string };
  if (!e) return false;
  if (e.code && (UNAVAILABLE_CODES.has(e.code) || NETWORK_CODES.has(e.code))) return true;
  const msg = e.message ?? '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(msg);
}

/** Postgres's answers that mean "this transaction lost a race; run it again": deadlock, serialization failure. */
const CONFLICT_CODES = new Set(['40P01', '40001']);

export function isTransactionConflict(err: unknown): boolean {
  return CONFLICT_CODES.has((err as PgError)?.code ?? '');
}

/** Postgres cancelled the statement: it ran past statement_timeout (or an operator cancelled it). */
export function isStatementTimeout(err: unknown): boolean {
  return (err as PgError)?.code === '57014';
}
