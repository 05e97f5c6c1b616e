import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { defaultRetirementScheme, makeIdNumber, type Gender, type RetirementScheme } from '@reemploy/domain';
import type { ServiceContext } from '@reemploy/runtime';
import type { RegistrationDB } from '../../src/database.ts';
import { seekerPii } from '../../src/job-seekers/pii.ts';

/**
 * Registration's own rows written straight into its tables: the assessment reads history (who was
 * unemployed when, which categories a household held when) that the API records as it happens.
 */

/** A registration context whatever its environment's type: the fixtures use only its database. */
type AnyRegistrationContext = ServiceContext<RegistrationDB, never> | ServiceContext<RegistrationDB>;

let serial = 0;

export interface SeekerFixture {
  community: string;
  gender?: 'male' | 'female';
  birthDate?: string;
  retirementScheme?: RetirementScheme;
  createdAt?: string;
  ableToWork?: boolean;
  willingToWork?: boolean;
  householdId?: string | null;
  relationship?: string | null;
  name?: string;
  phone?: string;
}

export async function addSeeker(ctx: AnyRegistrationContext, f: SeekerFixture): Promise<string> {
  const id = randomUUID();
  serial += 1;
  const birthDate = f.birthDate ?? '1990-05-05';
  const idNumber = makeIdNumber(f.community.slice(0, 6), birthDate, (serial % 999) + 1, f.gender ?? 'male');
  await ctx.db
    .insertInto('job_seekers')
    .values({
      id,
      id_number_hash: ctx.pii.hash(`${idNumber}:${serial}:${id}`),
      id_number_enc: ctx.pii.encrypt(idNumber, seekerPii(id, 'id_number_enc')),
      name_enc: ctx.pii.encrypt(f.name ?? '王秀英', seekerPii(id, 'name_enc')),
      phone_enc: ctx.pii.encrypt(f.phone ?? '13812345678', seekerPii(id, 'phone_enc')),
      gender: f.gender ?? 'male',
      birth_date: birthDate,
      retirement_scheme: f.retirementScheme ?? defaultRetirementScheme(f.gender ?? 'male'),
      community_code: f.community,
      education: 'junior-secondary',
      able_to_work: f.ableToWork ?? true,
      willing_to_work: f.willingToWork ?? true,
      status: 'unemployed',
      household_id: f.householdId ?? null,
      relationship: f.relationship ?? null,
      created_at: f.createdAt ?? '2024-12-01T00:00:00+08:00',
    })
    .execute();
  return id;
}

/** Many seekers in one statement: `employed` of them re-employed on `at`. */
export async function addCohort(ctx: AnyRegistrationContext, community: string, total: number, employed: number, at = '2025-06-15T10:00:00+08:00', extra: { gender?: string; birthDate?: string } = {}) {
  const ids = Array.from({ length: total }, () => randomUUID());
  await sql`
    insert into job_seekers (id, id_number_hash, id_number_enc, name_enc, gender, birth_date, retirement_scheme, community_code, education, status, created_at)
    select p.id, ${randomUUID()} || '-' || p.n, p.id_number_enc, p.name_enc, ${extra.gender ?? 'male'}, ${extra.birthDate ?? '1990-05-05'}::date,
      ${defaultRetirementScheme((extra.gender ?? 'male') as Gender)}, ${community}, 'primary', 'unemployed', '2024-12-01T00:00:00+08:00'
    from unnest(${ids}::uuid[], ${ids.map((id) => ctx.pii.encrypt('320508199005051234', seekerPii(id, 'id_number_enc')))}::text[], ${ids.map((id) => ctx.pii.encrypt('张伟', seekerPii(id, 'name_enc')))}::text[])
      with ordinality as p(id, id_number_enc, name_enc, n)`.execute(ctx.db);
  const hired = ids.slice(0, employed);
  if (hired.length) {
    await sql`insert into employment_changes (id, seeker_id, status, previous_status, at, recorded_by)
      select gen_random_uuid(), s, 'employed', 'unemployed', ${at}::timestamptz, 'test' from unnest(${hired}::uuid[]) s`.execute(ctx.db);
    await ctx.db.updateTable('job_seekers').set({ status: 'employed' }).where('id', 'in', hired).execute();
  }
  return ids;
}

export async function changeStatus(ctx: AnyRegistrationContext, seekerId: string, status: string, at: string) {
  const seeker = await ctx.db.selectFrom('job_seekers').select('status').where('id', '=', seekerId).executeTakeFirstOrThrow();
  await ctx.db.insertInto('employment_changes').values({ id: randomUUID(), seeker_id: seekerId, status, previous_status: seeker.status, at: new Date(at), recorded_by: 'test' }).execute();
  await ctx.db.updateTable('job_seekers').set({ status }).where('id', '=', seekerId).execute();
}

export async function serve(ctx: AnyRegistrationContext, seekerIds: string[], kinds: string[], at = '2025-03-10T09:00:00+08:00') {
  for (const seekerId of seekerIds) {
    const seeker = await ctx.db.selectFrom('job_seekers').select('community_code').where('id', '=', seekerId).executeTakeFirstOrThrow();
    for (const kind of kinds) {
      await ctx.db.insertInto('service_records').values({ id: randomUUID(), seeker_id: seekerId, community_code: seeker.community_code, kind, at: new Date(at), coordinator_id: 'c-1', note: null }).execute();
    }
  }
}

export const SERVICE_KINDS = ['visit', 'info-collection', 'network-entry', 'guidance'];

export interface HouseholdFixture {
  community: string;
  categories: string[];
  createdAt?: string;
  otherEmployedMembers?: number;
  offerDeadline?: string | null;
}

export async function addHousehold(ctx: AnyRegistrationContext, f: HouseholdFixture): Promise<string> {
  const id = randomUUID();
  const createdAt = f.createdAt ?? '2024-12-01T00:00:00+08:00';
  await ctx.db
    .insertInto('households')
    .values({
      id,
      community_code: f.community,
      single_parent: f.categories.includes('SINGLE_PARENT'),
      minor_children: 0,
      other_employed_members: f.otherEmployedMembers ?? 0,
      hardship_categories: f.categories,
      offer_deadline: f.offerDeadline ? new Date(f.offerDeadline) : null,
      created_at: createdAt,
    })
    .execute();
  await ctx.db.insertInto('household_category_history').values({ household_id: id, hardship_categories: f.categories, previous: [], changed_at: createdAt }).execute();
  return id;
}

/** A household's categories change (e.g. a member found work), as the re-derivation records it. */
export async function recategorise(ctx: AnyRegistrationContext, householdId: string, categories: string[], at: string) {
  const h = await ctx.db.selectFrom('households').select('hardship_categories').where('id', '=', householdId).executeTakeFirstOrThrow();
  await ctx.db.insertInto('household_category_history').values({ household_id: householdId, hardship_categories: categories, previous: h.hardship_categories, changed_at: at }).execute();
  await ctx.db.updateTable('households').set({ hardship_categories: categories }).where('id', '=', householdId).execute();
}

/** Service records of the given kinds for every seeker of a community but `skip` of them. */
export async function serveCommunity(ctx: AnyRegistrationContext, community: string, kinds = SERVICE_KINDS, skip = 0, at = '2025-03-10T09:00:00+08:00') {
  await sql`
    insert into service_records (id, seeker_id, community_code, kind, at, coordinator_id)
    select gen_random_uuid(), s.id, s.community_code, k, ${at}::timestamptz, 'c-1'
    from (select id, community_code from job_seekers where community_code = ${community} order by id offset ${skip}) s
    cross join unnest(${kinds}::text[]) k`.execute(ctx.db);
}
