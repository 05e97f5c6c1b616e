import { transact } from '@reemploy/db';
import { randomUUID } from 'node:crypto';
import { ageAt, cityDate, type Gender, type HardshipCategory, type Relationship, type SeekerStatus } from '@reemploy/domain';
import { isEmployed } from '@reemploy/domain/hardship';
import { decodeCursor, inRegions, pageFrom, problems, visiblePrefixes, type Caller } from '@reemploy/http-kit';
import type { RegistrationContext } from '../context.ts';
import { rederiveHousehold, type SeekerEvent } from '../hardship/rederive.ts';
import { seekerPii } from '../job-seekers/pii.ts';
import { membersOf, membersOfHouseholds, updateSeeker, type JobSeekerRow } from '../job-seekers/repository.ts';
import { pageCursor } from '../job-seekers/schemas.ts';
import { maskName } from '../job-seekers/view.ts';
import { assertCommunity } from '../regions/service.ts';
import { certificatePii } from './pii.ts';
import { findHousehold, insertHousehold, listHouseholds, lockHousehold, type HouseholdRow } from './repository.ts';
import type { CreateHouseholdInput, HouseholdView, ListHouseholdsQuery, PatchHouseholdInput } from './schemas.ts';

/** `**********1234`: a certificate number shows its last four characters only, and only when it has eight or more. */
export function maskCertificate(value: string): string {
  const chars = [...value];
  const shown = chars.length >= 8 ? 4 : 0;
  return '*'.repeat(chars.length - shown) + chars.slice(chars.length - shown).join('');
}

/** The certificate as stored: the number encrypted, the date checked against the city's today. */
function certificateColumns(ctx: RegistrationContext, householdId: string, value: CreateHouseholdInput['minimumLivelihood']) {
  if (value === null) return { minimum_livelihood_certificate_enc: null, minimum_livelihood_since: null };
  if (value.since > cityDate()) throw problems.field('body.minimumLivelihood.since', 'is in the future');
  return { minimum_livelihood_certificate_enc: ctx.pii.encrypt(value.certificateNumber, certificatePii(householdId)), minimum_livelihood_since: value.since };
}

export function toHouseholdView(ctx: RegistrationContext, caller: Caller, row: HouseholdRow, members: JobSeekerRow[], at = new Date()): HouseholdView {
  const reveal = caller.scopes.has('pii:read');
  const today = cityDate(at);
  const visible = members.filter((m) => inRegions(caller, m.community_code));
  const shown = new Set(visible.map((m) => m.id));
  return {
    id: row.id,
    communityCode: row.community_code,
    singleParent: row.single_parent,
    minorChildren: row.minor_children,
    otherEmployedMembers: row.other_employed_members,
    minimumLivelihood:
      row.minimum_livelihood_certificate_enc && row.minimum_livelihood_since
        ? (() => {
            const number = ctx.pii.decrypt(row.minimum_livelihood_certificate_enc, certificatePii(row.id));
            return { certificateNumber: reveal ? number : maskCertificate(number), since: row.minimum_livelihood_since };
          })()
        : null,
    // A member registered outside the caller's regions is not shown; it still counts in the household's figures.
    members: visible.map((m) => {
      const name = m.name_enc ? ctx.pii.decrypt(m.name_enc, seekerPii(m.id, 'name_enc')) : '';
      return {
        id: m.id,
        name: reveal || !name ? name : maskName(name),
        relationship: m.relationship as Relationship | null,
        spouseId: m.spouse_id,
        parentIds: m.parent_ids,
        gender: m.gender as Gender,
        age: ageAt(m.birth_date, today),
        status: m.status as SeekerStatus,
        hardshipCategories: m.hardship_categories as HardshipCategory[],
      };
    }),
    employedMembers: row.other_employed_members + members.filter((m) => isEmployed(m.status as SeekerStatus)).length,
    hardshipCategories: row.hardship_categories as HardshipCategory[],
    hardshipBasis: row.hardship_basis.map((b) => ({ category: b.category, memberIds: b.memberIds.filter((id) => shown.has(id)) })),
    zeroEmployment:
      row.zero_employment_since && row.offer_deadline
        ? { since: row.zero_employment_since.toISOString(), offerDeadline: row.offer_deadline.toISOString(), offeredAt: row.offered_at?.toISOString() ?? null }
        : null,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function createHousehold(ctx: RegistrationContext, caller: Caller, input: CreateHouseholdInput): Promise<HouseholdRow> {
  await assertCommunity(ctx, caller, input.communityCode, 'body.communityCode');
  const id = randomUUID();
  const certificate = certificateColumns(ctx, id, input.minimumLivelihood);
  return transact(ctx.db, async (trx) => {
    const row = await insertHousehold(trx, {
      id,
      community_code: input.communityCode,
      single_parent: input.singleParent,
      minor_children: input.minorChildren,
      other_employed_members: input.otherEmployedMembers,
      ...certificate,
    });
    await rederiveHousehold(trx, row.id, { offerHours: ctx.env.ZERO_EMPLOYMENT_OFFER_HOURS });
    return (await findHousehold(trx, row.id))!;
  });
}

export async function getHousehold(ctx: RegistrationContext, caller: Caller, id: string): Promise<{ row: HouseholdRow; members: JobSeekerRow[] }> {
  const row = await findHousehold(ctx.db, id);
  if (!row || !inRegions(caller, row.community_code)) throw problems.notFound(`Household ${id}`);
  return { row, members: await membersOf(ctx.db, id) };
}

/** Changes a household under If-Match; a move takes its members along; the whole household is re-derived. */
export async function updateHousehold(ctx: RegistrationContext, caller: Caller, id: string, input: PatchHouseholdInput, checkVersion: (row: HouseholdRow) => void) {
  if (input.communityCode !== undefined) await assertCommunity(ctx, caller, input.communityCode, 'body.communityCode');
  const certificate = input.minimumLivelihood === undefined ? {} : certificateColumns(ctx, id, input.minimumLivelihood);
  return transact(ctx.db, async (trx) => {
    const row = await lockHousehold(trx, id);
    if (!row || !inRegions(caller, row.community_code)) throw problems.notFound(`Household ${id}`);
    checkVersion(row);
    await trx
      .updateTable('households')
      .set({
        // A ledger key names a household within its community's file: a household that moves leaves that file.
        ...(input.communityCode !== undefined && input.communityCode !== row.community_code ? { community_code: input.communityCode, household_key: null } : {}),
        ...(input.singleParent !== undefined ? { single_parent: input.singleParent } : {}),
        ...(input.minorChildren !== undefined ? { minor_children: input.minorChildren } : {}),
        ...(input.otherEmployedMembers !== undefined ? { other_employed_members: input.otherEmployedMembers } : {}),
        ...certificate,
        version: row.version + 1,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    const touched = new Map<string, SeekerEvent>();
    if (input.communityCode !== undefined && input.communityCode !== row.community_code) {
      for (const m of await membersOf(trx, id, true)) {
        await updateSeeker(trx, m.id, { community_code: input.communityCode });
        touched.set(m.id, 'seeker.updated');
      }
    }
    const members = await rederiveHousehold(trx, id, { offerHours: ctx.env.ZERO_EMPLOYMENT_OFFER_HOURS, touched });
    return { row: (await findHousehold(trx, id))!, members };
  });
}

export async function listHouseholdsPage(ctx: RegistrationContext, caller: Caller, q: ListHouseholdsQuery) {
  const prefixes = visiblePrefixes(caller, q.region);
  if (!prefixes.length) return { items: [] as { row: HouseholdRow; members: JobSeekerRow[] }[], nextCursor: null };
  const after = decodeCursor(q.cursor, pageCursor);
  const rows = await listHouseholds(ctx.db, { prefixes, category: q.category, after, limit: q.limit });
  const { items, nextCursor } = pageFrom(rows, q.limit, (last) => ({ at: last.cursor_at, id: last.id }));
  const members = await membersOfHouseholds(ctx.db, items.map((r) => r.id));
  return { items: items.map((row) => ({ row: row as HouseholdRow, members: members.filter((m) => m.household_id === row.id) })), nextCursor };
}
