import { sql, type Kysely, type Transaction } from 'kysely';
import { createdKeyset, keysetPage } from '@reemploy/db';
import { cityYearStart } from '@reemploy/domain';
import type { MatchingDB, ReferralRow, ReferralStatus } from '../database.ts';

type Db = Kysely<MatchingDB> | Transaction<MatchingDB>;

export interface ReferralFilter {
  prefixes: string[];
  seekerId?: string | undefined;
  vacancyId?: string | undefined;
  status?: ReferralStatus | undefined;
  /** created_at and id of the previous page's last referral. */
  after?: [Date, string] | undefined;
  limit: number;
}

/** Referrals in the regions, newest first: `limit + 1` of them, for `pageFrom`. */
export function listReferrals(db: Db, f: ReferralFilter): Promise<ReferralRow[]> {
  let q = db
    .selectFrom('referrals')
    .selectAll()
    .where((eb) => eb.or(f.prefixes.map((p) => eb('community_code', 'like', `${p}%`))));
  if (f.seekerId) q = q.where('seeker_id', '=', f.seekerId);
  if (f.vacancyId) q = q.where('vacancy_id', '=', f.vacancyId);
  if (f.status) q = q.where('status', '=', f.status);
  return keysetPage(q, createdKeyset('desc'), f.after, f.limit).execute();
}

export async function unjustifiedDeclinesThisYear(db: Db, seekerId: string): Promise<number> {
  const row = await db
    .selectFrom('referrals')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('seeker_id', '=', seekerId)
    .where('status', '=', 'declined')
    .where('justified', '=', false)
    .where('outcome_at', '>=', cityYearStart())
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findReferral(db: Db, id: string): Promise<ReferralRow | undefined> {
  return db.selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findPendingReferral(db: Db, seekerId: string, vacancyId: string) {
  return db.selectFrom('referrals').select('id').where('seeker_id', '=', seekerId).where('vacancy_id', '=', vacancyId).where('status', '=', 'pending').executeTakeFirst();
}

export function insertReferral(db: Db, row: Omit<ReferralRow, 'created_at' | 'version' | 'outcome_at' | 'reason' | 'justified' | 'note' | 'status'>) {
  return db
    .insertInto('referrals')
    // Millisecond precision, so that the list's keyset cursor round-trips exactly.
    .values({ ...row, status: 'pending', reason: null, justified: null, note: null, outcome_at: null, created_at: new Date() })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Moves a pending referral to its outcome; undefined when it was no longer pending. */
export function closeReferral(db: Db, id: string, outcome: { status: ReferralStatus; reason: string | null; justified: boolean | null; note: string | null; at: Date }) {
  return db
    .updateTable('referrals')
    .set((eb) => ({ status: outcome.status, reason: outcome.reason, justified: outcome.justified, note: outcome.note, outcome_at: outcome.at, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
}

/** The seeker's other pending referrals end when the seeker is hired. */
export function withdrawOtherPending(db: Db, seekerId: string, exceptId: string, at: Date) {
  return db
    .updateTable('referrals')
    .set((eb) => ({ status: 'withdrawn', reason: 'seeker-hired', outcome_at: at, version: eb('version', '+', 1) }))
    .where('seeker_id', '=', seekerId)
    .where('status', '=', 'pending')
    .where('id', '!=', exceptId)
    .returningAll()
    .execute();
}

/** Pending referrals older than the cutoff, expired in one statement (a bounded batch). */
export function expirePending(db: Db, cutoff: Date, at: Date, batch: number) {
  return db
    .updateTable('referrals')
    .set((eb) => ({ status: 'expired', outcome_at: at, version: eb('version', '+', 1) }))
    .where('id', 'in', (eb) => eb.selectFrom('referrals').select('id').where('status', '=', 'pending').where('created_at', '<=', cutoff).orderBy('created_at').limit(batch).forUpdate().skipLocked())
    .where('status', '=', 'pending')
    .returningAll()
    .execute();
}

/**
 * The active reserved post behind a vacancy that is for one of the hired seeker's categories: the
 * placement of its base (as assistance-bases counts it). None when the seeker is in none of them.
 */
export function reservedPostFor(db: Db, vacancyId: string, categories: string[]) {
  return db
    .selectFrom('reserved_posts')
    .select(['reserved_post_id', 'aid_base_id'])
    .where('vacancy_id', '=', vacancyId)
    .where('status', '=', 'active')
    .where(sql<boolean>`reserved_for && ${sql.val(categories)}::text[]`)
    .orderBy('reserved_post_id')
    .limit(1)
    .executeTakeFirst();
}
