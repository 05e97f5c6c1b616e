import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { cursorTimestamp, decodeCursor, encodeCursor, visiblePrefixes, type Caller } from '@reemploy/http-kit';
import type { RegistrationContext } from '../context.ts';
import type { RegistrationDB } from '../database.ts';
import type { EscalationView, ListEscalationsQuery } from './schemas.ts';

const cursorShape = z.object({ at: cursorTimestamp, id: z.uuid() });

/**
 * An offer reached a household (a public-welfare or reserved post): its
 * zero-employment clock stops. Later offers change nothing, and neither does
 * an offer made before the household became zero-employment (its event can
 * arrive after the clock started).
 */
export async function recordOffer(trx: Transaction<RegistrationDB>, householdId: string, at: Date): Promise<boolean> {
  const res = await trx
    .updateTable('households')
    .set({ offered_at: at, updated_at: new Date() })
    .where('id', '=', householdId)
    .where('offer_deadline', 'is not', null)
    .where('offered_at', 'is', null)
    .where('zero_employment_since', '<=', at)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Zero-employment households past their deadline without an offer, most overdue first, in the caller's regions. */
export async function listEscalations(ctx: RegistrationContext, caller: Caller, q: ListEscalationsQuery, now = new Date()) {
  const prefixes = visiblePrefixes(caller, q.region);
  if (!prefixes.length) return { items: [] as EscalationView[], nextCursor: null };
  const after = decodeCursor(q.cursor, cursorShape);
  let query = ctx.db
    .selectFrom('households as h')
    .leftJoin('regions as street', (join) => join.on(sql<boolean>`street.code = substr(h.community_code, 1, 9)`))
    .select(['h.id', 'h.community_code', 'h.zero_employment_since', 'h.offer_deadline', 'street.name as street_name'])
    .select(sql<string>`h.offer_deadline::text`.as('cursor_at'))
    .select((eb) => eb.selectFrom('job_seekers').select(eb.fn.countAll<number>().as('n')).whereRef('job_seekers.household_id', '=', 'h.id').as('members'))
    .where('h.offered_at', 'is', null)
    .where('h.offer_deadline', '<', now)
    .where((eb) => eb.or(prefixes.map((p) => eb('h.community_code', 'like', `${p}%`))));
  if (after) query = query.where(sql<boolean>`(h.offer_deadline, h.id) > (${after.at}::timestamptz, ${after.id}::uuid)`);
  const rows = await query.orderBy('h.offer_deadline').orderBy('h.id').limit(q.limit + 1).execute();
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      householdId: r.id,
      communityCode: r.community_code,
      streetCode: r.community_code.slice(0, 9),
      streetName: r.street_name ?? null,
      zeroEmploymentSince: r.zero_employment_since!.toISOString(),
      offerDeadline: r.offer_deadline!.toISOString(),
      overdueHours: Math.floor((now.getTime() - r.offer_deadline!.getTime()) / 3_600_000),
      members: Number(r.members ?? 0),
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ at: last.cursor_at, id: last.id }) : null,
  };
}
