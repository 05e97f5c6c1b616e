import { z } from 'zod';
import { problems } from './problem.ts';
import { findBadStrings } from './strict-input.ts';

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('Items per page (1–500)'),
  cursor: z.string().max(512).regex(/^[A-Za-z0-9_-]+$/).optional().describe('nextCursor of the previous page'),
});

// Offsets up to ±15:59, the most Postgres accepts.
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T]([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{1,6})?(Z|[+-](0\d|1[0-5])(:?[0-5]\d)?)$/;

/**
 * A timestamp in a cursor, as Postgres writes `created_at::text` (microseconds
 * kept) or as ISO 8601, on a day that exists and with an offset Postgres takes:
 * a forged one is refused here, not by Postgres with a 500.
 */
export const cursorTimestamp = z
  .string()
  .max(40)
  .refine((value) => {
    const m = TIMESTAMP.exec(value);
    if (!m) return false;
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  }, 'is not a timestamp');

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Decodes a cursor against the shape it must have: a forged one is a 400, never a 500. */
export function decodeCursor<T extends z.ZodType>(cursor: string | undefined, shape: T): z.infer<T> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // No NUL, lone surrogate or inexact number reaches a query through a cursor either.
    const parsed = findBadStrings(value, 'cursor').length ? undefined : shape.safeParse(value);
    if (parsed?.success) return parsed.data;
  } catch {
    /* fall through */
  }
  throw problems.field('query.cursor', 'is not a cursor this list produced');
}

/** The cursor of a list in (created_at, id) order: `created_at::text` of the last row and its id. */
export const timeCursor = z.object({ at: cursorTimestamp, id: z.uuid() });

/**
 * One page out of the `limit + 1` rows a keyset query read: the first `limit`,
 * and the cursor after the last of them when there was one more.
 */
export function pageFrom<R>(rows: readonly R[], limit: number, cursorOf: (last: R) => unknown): { items: R[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null };
}
