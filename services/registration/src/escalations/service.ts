import { decodeCursor, pageFrom, timeCursor, visiblePrefixes, type Caller } from '@reemploy/http-kit';
import type { RegistrationContext } from '../context.ts';
import { listOverdue } from './repository.ts';
import type { EscalationView, ListEscalationsQuery } from './schemas.ts';

/** Zero-employment households past their deadline without an offer, most overdue first, in the caller's regions. */
export async function listEscalations(ctx: RegistrationContext, caller: Caller, q: ListEscalationsQuery, now = new Date()) {
  const prefixes = visiblePrefixes(caller, q.region);
  if (!prefixes.length) return { items: [] as EscalationView[], nextCursor: null };
  const after = decodeCursor(q.cursor, timeCursor);
  const rows = await listOverdue(ctx.db, { prefixes, now, after, limit: q.limit });
  const page = pageFrom(rows, q.limit, (last) => ({ at: last.cursor_at, id: last.id }));
  return {
    items: page.items.map((r) => ({
      householdId: r.id,
      communityCode: r.community_code,
      streetCode: r.community_code.slice(0, 9),
      streetName: r.street_name ?? null,
      zeroEmploymentSince: r.zero_employment_since!.toISOString(),
      offerDeadline: r.offer_deadline!.toISOString(),
      overdueHours: Math.floor((now.getTime() - r.offer_deadline!.getTime()) / 3_600_000),
      members: Number(r.members ?? 0),
    })),
    nextCursor: page.nextCursor,
  };
}
