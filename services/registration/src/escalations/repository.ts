import { keysetPage } from '@reemploy/db';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { RegistrationDB } from '../database.ts';

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

/** Households past their offer deadline without an offer, in keyset order (offer_deadline, id); `cursor_at` keeps microseconds. */
export function listOverdue(db: Kysely<RegistrationDB>, f: { prefixes: string[]; now: Date; after?: { at: string; id: string } | undefined; limit: number }) {
  const q = db
    .selectFrom('households as h')
    .leftJoin('regions as street', (join) => join.on(sql<boolean>`street.code = substr(h.community_code, 1, 9)`))
    .select(['h.id', 'h.community_code', 'h.zero_employment_since', 'h.offer_deadline', 'street.name as street_name'])
    .select(sql<string>`h.offer_deadline::text`.as('cursor_at'))
    .select((eb) => eb.selectFrom('job_seekers').select(eb.fn.countAll<number>().as('n')).whereRef('job_seekers.household_id', '=', 'h.id').as('members'))
    .where('h.offered_at', 'is', null)
    .where('h.offer_deadline', '<', f.now)
    .where((eb) => eb.or(f.prefixes.map((p) => eb('h.community_code', 'like', `${p}%`))));
  const keyset = { columns: [{ ref: 'h.offer_deadline', cast: 'timestamptz' }, { ref: 'h.id', cast: 'uuid' }] } as const;
  return keysetPage(q, keyset, f.after && [f.after.at, f.after.id], f.limit).execute();
}
