import { sql, type Transaction } from 'kysely';
import { deriveHardship, sameCategories, type HardshipBasis } from '@reemploy/domain/hardship';
import type { HardshipCategory } from '@reemploy/domain';
import { recordEvent } from '@reemploy/messaging';
import type { RegistrationDB } from '../database.ts';
import { lockSeeker, membersOf, updateSeeker, type JobSeekerRow } from '../job-seekers/repository.ts';
import { seekerSnapshot, toHardshipMember } from '../job-seekers/view.ts';

type Trx = Transaction<RegistrationDB>;
export type SeekerEvent = 'seeker.registered' | 'seeker.updated' | 'seeker.employment-changed';

export interface RederiveOptions {
  at?: Date;
  /** Seekers the caller changed, with the event each must publish (after the derivation). */
  touched?: Map<string, SeekerEvent>;
  /** Hours a newly zero-employment household waits for an offer. */
  offerHours: number;
}

/**
 * Re-derives the categories of a household and all its members, stores them,
 * keeps the household's category history, starts or stops the
 * zero-employment clock and publishes what changed. Returns the members as
 * stored afterwards.
 */
export async function rederiveHousehold(trx: Trx, householdId: string, opts: RederiveOptions): Promise<JobSeekerRow[]> {
  const at = opts.at ?? new Date();
  const household = await trx.selectFrom('households').selectAll().where('id', '=', householdId).forUpdate().executeTakeFirstOrThrow();
  const members = await membersOf(trx, householdId, true);
  const derived = deriveHardship(
    {
      singleParent: household.single_parent,
      minorChildren: household.minor_children,
      otherEmployedMembers: household.other_employed_members,
      minimumLivelihood: household.minimum_livelihood_certificate_enc !== null,
    },
    members.map(toHardshipMember),
    at,
  );
  const after = await applyMemberCategories(trx, members, derived.members, opts.touched);
  const previous = household.hardship_categories as HardshipCategory[];
  const categoriesChanged = !sameCategories(previous, derived.household);
  // What a category rests on can change while the categories stay (a second couple becomes dual): kept as well.
  if (categoriesChanged || !sameBasis(household.hardship_basis, derived.basis)) {
    const zeroNow = derived.household.includes('ZERO_EMPLOYMENT_HOUSEHOLD');
    const zeroBefore = previous.includes('ZERO_EMPLOYMENT_HOUSEHOLD');
    const clock =
      zeroNow && !zeroBefore
        ? { zero_employment_since: at, offer_deadline: new Date(at.getTime() + opts.offerHours * 3_600_000), offered_at: null }
        : !zeroNow && zeroBefore
          ? { zero_employment_since: null, offer_deadline: null, offered_at: null }
          : {};
    await trx
      .updateTable('households')
      .set({ hardship_categories: derived.household, hardship_basis: JSON.stringify(derived.basis), ...clock, version: sql`version + 1`, updated_at: new Date() })
      .where('id', '=', householdId)
      .execute();
    await trx
      .insertInto('household_category_history')
      .values({ household_id: householdId, hardship_categories: derived.household, previous, hardship_basis: JSON.stringify(derived.basis), changed_at: at })
      .execute();
  }
  if (categoriesChanged) {
    await recordEvent(trx, 'household.categories-changed', householdId, {
      householdId,
      communityCode: household.community_code,
      hardshipCategories: derived.household,
      previous,
      memberIds: members.map((m) => m.id),
    });
  }
  return after;
}

function sameBasis(a: readonly HardshipBasis[], b: readonly HardshipBasis[]): boolean {
  return a.length === b.length && a.every((x, i) => x.category === b[i]!.category && x.memberIds.join() === b[i]!.memberIds.join());
}

/** A seeker without a household: only the categories a person carries alone. */
export async function rederiveSolo(trx: Trx, seekerId: string, event: SeekerEvent | undefined, at = new Date()): Promise<JobSeekerRow> {
  const row = (await lockSeeker(trx, seekerId))!;
  const derived = deriveHardship(null, [toHardshipMember(row)], at);
  const [after] = await applyMemberCategories(trx, [row], derived.members, event ? new Map([[seekerId, event]]) : undefined);
  return after!;
}

async function applyMemberCategories(trx: Trx, rows: JobSeekerRow[], categories: Record<string, HardshipCategory[]>, touched?: Map<string, SeekerEvent>): Promise<JobSeekerRow[]> {
  const out: JobSeekerRow[] = [];
  for (const row of rows) {
    const next = categories[row.id] ?? [];
    const changed = !sameCategories(row.hardship_categories, next);
    const stored = changed ? await updateSeeker(trx, row.id, { hardship_categories: next }) : row;
    const event = touched?.get(row.id) ?? (changed ? 'seeker.updated' : undefined);
    if (event) await recordEvent(trx, event, row.id, seekerSnapshot(stored));
    out.push(stored);
  }
  return out;
}

/** Re-derives wherever the seeker belongs now (and where it belonged before, if it moved). */
export async function rederiveFor(trx: Trx, seeker: JobSeekerRow, event: SeekerEvent, opts: { offerHours: number; previousHouseholdId?: string | null; at?: Date }): Promise<JobSeekerRow> {
  const base = { offerHours: opts.offerHours, ...(opts.at ? { at: opts.at } : {}) };
  // Lock households in id order so two moves cannot deadlock.
  const ids = [...new Set([opts.previousHouseholdId, seeker.household_id].filter((x): x is string => !!x))].sort();
  let result: JobSeekerRow | undefined;
  for (const id of ids) {
    const touched = id === seeker.household_id ? new Map([[seeker.id, event]]) : undefined;
    const rows = await rederiveHousehold(trx, id, { ...base, ...(touched ? { touched } : {}) });
    result ??= rows.find((r) => r.id === seeker.id);
  }
  return seeker.household_id ? result! : rederiveSolo(trx, seeker.id, event, opts.at);
}
