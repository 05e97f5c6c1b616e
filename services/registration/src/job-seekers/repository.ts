import { sql, type Insertable, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import { createdKeyset, keysetPage } from '@reemploy/db';
import type { JobSeekerTable, RegistrationDB } from '../database.ts';

type Db = Kysely<RegistrationDB> | Transaction<RegistrationDB>;
export type JobSeekerRow = Selectable<JobSeekerTable>;

export function findSeekerById(db: Db, id: string): Promise<JobSeekerRow | undefined> {
  return db.selectFrom('job_seekers').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Locks a seeker, after its household: the order a household change takes
 * (household, then its members), so a seeker change and a household change
 * in the same household cannot deadlock.
 */
export async function lockSeeker(trx: Transaction<RegistrationDB>, id: string): Promise<JobSeekerRow | undefined> {
  const current = await trx.selectFrom('job_seekers').select('household_id').where('id', '=', id).executeTakeFirst();
  if (current?.household_id) await trx.selectFrom('households').select('id').where('id', '=', current.household_id).forUpdate().execute();
  return trx.selectFrom('job_seekers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The person registered under this identity-number hash, wherever they are. */
export function findSeekerByHash(db: Db, hash: string): Promise<{ id: string; community_code: string } | undefined> {
  return db.selectFrom('job_seekers').select(['id', 'community_code']).where('id_number_hash', '=', hash).executeTakeFirst();
}

/** The people registered under some lookup hashes. */
export function findSeekerIdsByHashes(db: Db, hashes: string[]) {
  return db.selectFrom('job_seekers').select(['id', 'id_number_hash']).where('id_number_hash', 'in', hashes).execute();
}

export function insertSeeker(db: Db, row: Insertable<JobSeekerTable>): Promise<JobSeekerRow> {
  return db.insertInto('job_seekers').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateSeeker(db: Db, id: string, changes: Updateable<JobSeekerTable>): Promise<JobSeekerRow> {
  return db
    .updateTable('job_seekers')
    .set({ ...changes, version: sql`version + 1`, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function membersOf(db: Db, householdId: string, lock = false): Promise<JobSeekerRow[]> {
  const q = db.selectFrom('job_seekers').selectAll().where('household_id', '=', householdId).orderBy('created_at').orderBy('id');
  return lock ? q.forUpdate().execute() : q.execute();
}

/** The member holding a relationship that a household has only one of, other than the given seeker. */
export async function holderOf(db: Db, householdId: string, relationship: 'head' | 'spouse', except?: string): Promise<string | undefined> {
  let q = db.selectFrom('job_seekers').select('id').where('household_id', '=', householdId).where('relationship', '=', relationship);
  if (except) q = q.where('id', '<>', except);
  return (await q.executeTakeFirst())?.id;
}

/** The household, spouse and standing of members another member names (spouse, parents). */
export function findNamedMembers(db: Db, ids: string[]) {
  return db.selectFrom('job_seekers').select(['id', 'household_id', 'spouse_id', 'raising_alone']).where('id', 'in', ids).execute();
}

const bump = () => ({ version: sql<number>`version + 1`, updated_at: new Date() });

/** Unlinks a seeker and its spouse, on both records. */
export async function unlinkSpouse(trx: Transaction<RegistrationDB>, seekerId: string): Promise<void> {
  await trx.updateTable('job_seekers').set({ spouse_id: null, ...bump() }).where('spouse_id', '=', seekerId).execute();
  await trx.updateTable('job_seekers').set({ spouse_id: null, ...bump() }).where('id', '=', seekerId).where('spouse_id', 'is not', null).execute();
}

/** Links two members as spouses, on both records; a former spouse of either is unlinked first. */
export async function linkSpouses(trx: Transaction<RegistrationDB>, a: string, b: string): Promise<void> {
  const current = await trx.selectFrom('job_seekers').select(['id', 'spouse_id']).where('id', 'in', [a, b]).execute();
  if (current.every((r) => r.spouse_id === (r.id === a ? b : a))) return;
  for (const id of [a, b]) await unlinkSpouse(trx, id);
  await trx.updateTable('job_seekers').set({ spouse_id: b, ...bump() }).where('id', '=', a).execute();
  await trx.updateTable('job_seekers').set({ spouse_id: a, ...bump() }).where('id', '=', b).execute();
}

/** A seeker leaving its household: its spouse link (on both records) and the parent links of its children there go. */
export async function unlinkFromHousehold(trx: Transaction<RegistrationDB>, seekerId: string): Promise<void> {
  await unlinkSpouse(trx, seekerId);
  await trx
    .updateTable('job_seekers')
    .set({ parent_ids: sql<string[]>`array_remove(parent_ids, ${seekerId}::uuid)`, ...bump() })
    .where(sql<boolean>`${seekerId}::uuid = any(parent_ids)`)
    .execute();
}

/** The members of these households, in registration order. */
export function membersOfHouseholds(db: Db, householdIds: string[]): Promise<JobSeekerRow[]> {
  if (!householdIds.length) return Promise.resolve([]);
  return db.selectFrom('job_seekers').selectAll().where('household_id', 'in', householdIds).orderBy('created_at').orderBy('id').execute();
}

export interface SeekerFilter {
  prefixes: string[];
  status?: string | undefined;
  category?: string | undefined;
  householdId?: string | undefined;
  after?: { at: string; id: string } | undefined;
  limit: number;
}

/** A page of seekers in keyset order (created_at, id); `cursor_at` keeps microseconds for the next page. */
export function listSeekers(db: Db, f: SeekerFilter) {
  let q = db
    .selectFrom('job_seekers')
    .selectAll()
    .select(sql<string>`created_at::text`.as('cursor_at'))
    .where((eb) => eb.or(f.prefixes.map((p) => eb('community_code', 'like', `${p}%`))));
  if (f.status) q = q.where('status', '=', f.status);
  if (f.category) q = q.where('hardship_categories', '@>', sql<string[]>`array[${f.category}]::text[]`);
  if (f.householdId) q = q.where('household_id', '=', f.householdId);
  return keysetPage(q, createdKeyset(), f.after && [f.after.at, f.after.id], f.limit).execute();
}
