import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { sql, type Transaction } from 'kysely';
import { copyText } from '@reemploy/db';
import { deriveHardship, sameCategories } from '@reemploy/domain/hardship';
import { eventContracts } from '@reemploy/events';
import { inRegions, type AuditedRecord, type AuditedRequest, type Caller } from '@reemploy/http-kit';
import type { PiiCipher } from '@reemploy/pii';
import type { RegistrationDB } from '../database.ts';
import { rederiveHousehold, type SeekerEvent } from '../hardship/rederive.ts';
import { certificatePii } from '../households/pii.ts';
import { seekerPii } from '../job-seekers/pii.ts';
import { holderOf, linkSpouses, unlinkFromHousehold, type JobSeekerRow } from '../job-seekers/repository.ts';
import { seekerSnapshot, toHardshipMember } from '../job-seekers/view.ts';
import { familyLinks } from './family-links.ts';
import type { HouseholdRef } from './household-fields.ts';
import { STAGED_COLUMNS, type FieldError, type PreparedRow } from './rows.ts';

type Trx = Transaction<RegistrationDB>;

/** A row's outcome; `elsewhere` names the person a failed row found registered outside the caller's regions (audited, never reported). */
export type RowOutcome =
  | { line: number; status: 'created' | 'updated' | 'unchanged'; id: string }
  | { line: number; status: 'failed'; errors: FieldError[]; elsewhere?: AuditedRecord };

/** What one transaction stores: people alone as staging lines (COPY text), people naming a household as rows. */
export interface Chunk {
  solo: { line: number; hash: string }[];
  copy: string[];
  households: PreparedRow[];
}

/** State of one upload across its chunks: the households its keys name, and the household fields each key was given. */
export interface ImportState {
  /** The subject of the upload's seekers.imported events. */
  importId: string;
  /** Encrypts a household's certificate number, and reads the stored one to compare. */
  pii: PiiCipher;
  caller: Caller;
  /** The request, as the PII audit names it. */
  by: AuditedRequest;
  /** The first line not processed, once the upload reached the caller's budget of answers about people registered elsewhere. */
  cutAt?: number;
  offerHours: number;
  now: Date;
  today: string;
  keys: Map<string, string>;
  attributes: Map<string, { value: unknown; line: number }>;
}

const STAGING = 'import_staging';
const OUTSIDE: FieldError = { field: 'idNumber', message: 'this person is registered outside your regions' };
// A member lives in its household's community (as PATCH /v1/job-seekers checks): a row without household fields keeps the household.
const LEAVES_HOUSEHOLD: FieldError = { field: 'communityCode', message: "is not the community of this person's household; move the household, or name another one" };
const NAMES = sql.raw(STAGED_COLUMNS.map(([c]) => c).join(', '));

/** The chunk's staging table: temporary, gone when its transaction ends (the connection goes back to the pool). */
export async function createStaging(client: pg.PoolClient) {
  await client.query(`create temp table ${STAGING} (line integer, ${STAGED_COLUMNS.map(([c, t]) => `${c} ${t}`).join(', ')}) on commit drop`);
}

// A seeker snapshot (what seeker.registered carries), built by Postgres from the inserted row
// (json, aggregated and then cast once: cheaper than jsonb built piece by piece).
const SNAPSHOT = sql`json_build_object(
  'seekerId', n.id, 'householdId', n.household_id, 'communityCode', n.community_code, 'gender', n.gender, 'birthDate', n.birth_date,
  'retirementScheme', n.retirement_scheme, 'education', n.education, 'skills', n.skills, 'desiredOccupations', n.desired_occupations, 'expectedMonthlyWage', n.expected_monthly_wage,
  'ableToWork', n.able_to_work, 'willingToWork', n.willing_to_work, 'status', n.status, 'hardshipCategories', n.hardship_categories)`;
/** What SNAPSHOT reads of an inserted row: returning only these keeps the inserted rows (held for the events) small. */
const SNAPSHOT_COLUMNS = sql.raw(
  'id, household_id, community_code, gender, birth_date, retirement_scheme, education, skills, desired_occupations, expected_monthly_wage, able_to_work, willing_to_work, status, hardship_categories',
);
/** Seekers per seekers.imported event. */
const PER_EVENT = 1000;

/**
 * A row is prepared with the id a new person gets, its values bound to that id;
 * a person registered already keeps theirs, so the values are bound again to it.
 */
function rebound(pii: PiiCipher, preparedId: string, id: string, values: { name_enc: string; phone_enc: string | null }) {
  const again = (column: 'name_enc' | 'phone_enc', value: string) => pii.encrypt(pii.decrypt(value, seekerPii(preparedId, column)), seekerPii(id, column));
  return { name_enc: again('name_enc', values.name_enc), phone_enc: values.phone_enc === null ? null : again('phone_enc', values.phone_enc) };
}

/** Bulk outbox write: the same rows recordEvent writes, one statement. */
async function recordEvents(trx: Trx, events: { type: SeekerEvent; row: JobSeekerRow }[]) {
  if (!events.length) return;
  await trx
    .insertInto('outbox')
    .values(events.map(({ type, row }) => ({ id: randomUUID(), type, version: eventContracts[type].version, subject: row.id, payload: JSON.stringify(seekerSnapshot(row)) })))
    .execute();
}

/**
 * People alone: COPY into staging, then one statement inserts the new ones
 * with their seekers.imported events (a thousand people each), one updates the
 * changed ones (status, household and history untouched; a seeker.updated
 * each); identical ones are left alone.
 */
async function storeSolo(client: pg.PoolClient, trx: Trx, chunk: Chunk, state: ImportState, outcomes: Map<number, RowOutcome>) {
  if (!chunk.solo.length) return;
  const { now, today, offerHours } = state;
  await copyText(client, STAGING, ['line', ...STAGED_COLUMNS.map(([c]) => c)], chunk.copy);
  // A person registered outside the caller's regions is neither changed nor named: the row fails.
  const inside = sql`j.community_code like any(${state.caller.regions.map((p) => `${p.replace(/[\\%_]/g, '\\$&')}%`)}::text[])`;
  // Who is registered already, found through the lookup-hash index (a join would hash the whole
  // register for every chunk) and read without locking: a person the file leaves as stored is
  // neither written nor locked, so an identical re-upload writes nothing, not even row locks.
  const staged = sql`${sql.table(STAGING)} s join job_seekers j using (id_number_hash)
    where j.id_number_hash = any(array(select id_number_hash from ${sql.table(STAGING)}))`;
  const leaves = sql`exists (select 1 from households h where h.id = j.household_id and h.community_code <> s.community_code)`;
  const compared = sql`s.line, j.id, j.community_code, j.content_hash is not distinct from s.content_hash as same, ${inside} as inside, ${leaves} as leaves`;
  type Compared = { line: number; id: string; community_code: string; same: boolean; inside: boolean; leaves: boolean };
  /** Reports the rows outside the regions, those that would part a member from its household, and the unchanged ones; returns the ids of the people the file changes. */
  const sort = (rows: Compared[]): string[] => {
    const changes: string[] = [];
    for (const e of rows) {
      if (!e.inside) outcomes.set(e.line, { line: e.line, status: 'failed', errors: [OUTSIDE], elsewhere: { id: e.id, region: e.community_code } });
      else if (e.same) outcomes.set(e.line, { line: e.line, status: 'unchanged', id: e.id });
      else if (e.leaves) outcomes.set(e.line, { line: e.line, status: 'failed', errors: [LEAVES_HOUSEHOLD] });
      else changes.push(e.id);
    }
    return changes;
  };
  const existing = await sql<Compared>`select ${compared} from ${staged}`.execute(trx);
  let changing = sort(existing.rows);
  if (changing.length) {
    // The people the file changes are locked in the order every other writer takes locks (households,
    // then seekers, each by id), so that concurrent imports and household or seeker changes wait for
    // each other instead of deadlocking; then read again, as the lock found them.
    await sql`
      select h.id from households h
      where h.id in (select j.household_id from job_seekers j where j.id = any(${changing}::uuid[]))
      order by h.id for update`.execute(trx);
    const locked = await sql<Compared>`
      select ${compared} from ${staged} and j.id = any(${changing}::uuid[])
      order by j.id
      for update of j`.execute(trx);
    changing = sort(locked.rows);
  }
  if (changing.length) {
    const registered = await sql<{ id: string; prepared: string; name_enc: string; phone_enc: string | null }>`
      select j.id, s.id as prepared, s.name_enc, s.phone_enc from ${staged} and j.id = any(${changing}::uuid[])`.execute(trx);
    const values = registered.rows.map((r) => ({ prepared: r.prepared, ...rebound(state.pii, r.prepared, r.id, r) }));
    await sql`
      update ${sql.table(STAGING)} s set name_enc = r.name_enc, phone_enc = r.phone_enc
      from unnest(${values.map((v) => v.prepared)}::uuid[], ${values.map((v) => v.name_enc)}::text[], ${values.map((v) => v.phone_enc)}::text[]) as r(id, name_enc, phone_enc)
      where s.id = r.id`.execute(trx);
  }
  if (existing.rows.length < chunk.solo.length) {
    const version = eventContracts['seekers.imported'].version;
    // The events' payloads (a thousand seekers each) are compressed when stored: lz4, where the server
    // has it, costs half of pglz. For this transaction only; reading either needs nothing.
    await sql`
      select set_config('default_toast_compression', case when 'lz4' = any(enumvals) then 'lz4' else setting end, true)
      from pg_settings where name = 'default_toast_compression'`.execute(trx);
    const inserted = await sql<{ line: number; id: string }>`
      with i as (
        insert into job_seekers (${NAMES}, status, status_since)
        select ${sql.join(STAGED_COLUMNS.map(([c]) => (c === 'unemployed_since' ? sql`coalesce(s.unemployed_since, ${today}::date)` : sql.ref(`s.${c}`))))}, 'unemployed', ${now}
        from ${sql.table(STAGING)} s
        order by s.id_number_hash
        on conflict (id_number_hash) do nothing
        returning ${SNAPSHOT_COLUMNS}
      ), n as (
        select i.*, (row_number() over (order by i.id) - 1) / ${PER_EVENT} as part from i
      ), events as (
        insert into outbox (id, type, version, subject, payload)
        select gen_random_uuid(), 'seekers.imported', ${version}, ${state.importId}, json_build_object('seekers', json_agg(${SNAPSHOT} order by n.id))::jsonb
        from n group by n.part
      )
      select s.line, i.id from i join ${sql.table(STAGING)} s on s.id = i.id`.execute(trx);
    for (const r of inserted.rows) outcomes.set(r.line, { line: r.line, status: 'created', id: r.id });
  }
  if (changing.length) {
    const updated = await sql<JobSeekerRow & { line: number }>`
      update job_seekers j set
        name_enc = v.name_enc, phone_enc = v.phone_enc, community_code = v.community_code, education = v.education,
        skills = v.skills, desired_occupations = v.desired_occupations, expected_monthly_wage = v.expected_monthly_wage,
        able_to_work = v.able_to_work, willing_to_work = v.willing_to_work, laid_off = v.laid_off, retirement_scheme = v.retirement_scheme,
        minimum_livelihood = v.minimum_livelihood, disabled = v.disabled,
        unemployed_since = case when j.status = 'unemployed' then coalesce(v.unemployed_since, j.unemployed_since) else j.unemployed_since end,
        content_hash = v.content_hash, version = j.version + 1, updated_at = now()
      from ${sql.table(STAGING)} v
      where j.id_number_hash = v.id_number_hash and j.id = any(${changing}::uuid[]) and j.content_hash is distinct from v.content_hash and ${inside}
      returning j.*, v.line`.execute(trx);
    const solo: { type: SeekerEvent; row: JobSeekerRow }[] = [];
    const households = new Map<string, Map<string, SeekerEvent>>();
    for (const { line, ...row } of updated.rows) {
      outcomes.set(line, { line, status: 'updated', id: row.id });
      if (row.household_id) {
        const touched = households.get(row.household_id) ?? new Map<string, SeekerEvent>();
        touched.set(row.id, 'seeker.updated');
        households.set(row.household_id, touched);
        continue;
      }
      const categories = deriveHardship(null, [toHardshipMember(row)], now).members[row.id] ?? [];
      const stored = sameCategories(row.hardship_categories, categories)
        ? row
        : await trx.updateTable('job_seekers').set({ hardship_categories: categories }).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow();
      solo.push({ type: 'seeker.updated', row: stored });
    }
    await recordEvents(trx, solo);
    for (const [id, touched] of [...households].sort(([a], [b]) => a.localeCompare(b))) await rederiveHousehold(trx, id, { offerHours, touched, at: now });
  }
}

const ATTRIBUTE_FIELDS = {
  single_parent: 'singleParent',
  minor_children: 'minorChildren',
  other_employed_members: 'otherEmployedMembers',
  minimum_livelihood: 'minimumLivelihoodCertificate',
} as const;

/** A row's household fields, as compared between the rows of one key (the certificate as one value). */
function givenAttributes(ref: HouseholdRef): [keyof typeof ATTRIBUTE_FIELDS, unknown][] {
  const given: [keyof typeof ATTRIBUTE_FIELDS, unknown][] = Object.entries(ref.attributes) as [keyof typeof ATTRIBUTE_FIELDS, unknown][];
  if (ref.certificate) given.push(['minimum_livelihood', `${ref.certificate.number}\u0000${ref.certificate.since}`]);
  return given;
}

/** The first household field of a row that differs from what an earlier row of the same key said. */
function disagreeing(state: ImportState, key: string, ref: HouseholdRef): FieldError | undefined {
  for (const [column, value] of givenAttributes(ref)) {
    const earlier = state.attributes.get(`${key}\u0000${column}`);
    if (earlier && earlier.value !== value) return { field: ATTRIBUTE_FIELDS[column], message: `differs from line ${earlier.line} for the same householdKey` };
  }
  return undefined;
}

/** Records a key's certificate on its household, encrypted; an identical one changes nothing. */
async function recordCertificate(trx: Trx, state: ImportState, householdId: string, certificate: { number: string; since: string }) {
  const h = await trx.selectFrom('households').select(['minimum_livelihood_certificate_enc', 'minimum_livelihood_since']).where('id', '=', householdId).executeTakeFirstOrThrow();
  if (h.minimum_livelihood_since === certificate.since && h.minimum_livelihood_certificate_enc && state.pii.decrypt(h.minimum_livelihood_certificate_enc, certificatePii(householdId)) === certificate.number) return;
  await trx
    .updateTable('households')
    .set({ minimum_livelihood_certificate_enc: state.pii.encrypt(certificate.number, certificatePii(householdId)), minimum_livelihood_since: certificate.since, version: sql`version + 1`, updated_at: state.now })
    .where('id', '=', householdId)
    .execute();
}

/**
 * Finds (or, for a key seen first, plans) the row's household under a lock,
 * with the same rules as POST /v1/job-seekers: known and in the caller's
 * regions, in the row's community.
 */
async function resolveHousehold(trx: Trx, row: PreparedRow, ref: HouseholdRef, state: ImportState): Promise<{ id: string | null; key?: string } | { errors: FieldError[] }> {
  if (ref.id) {
    const h = await trx.selectFrom('households').select(['id', 'community_code']).where('id', '=', ref.id).forUpdate().executeTakeFirst();
    if (!h || !inRegions(state.caller, h.community_code)) return { errors: [{ field: 'householdId', message: 'is not a known household' }] };
    if (h.community_code !== row.community_code) return { errors: [{ field: 'householdId', message: 'belongs to another community than communityCode' }] };
    return { id: h.id };
  }
  const key = `${row.community_code}\u0000${ref.key!}`;
  let id = state.keys.get(key) ?? null;
  if (!id) {
    const h = await trx.selectFrom('households').select('id').where('community_code', '=', row.community_code).where('household_key', '=', ref.key!).forUpdate().executeTakeFirst();
    id = h?.id ?? null;
  }
  return { id, key };
}

/**
 * People naming a household, one at a time in file order, then each household
 * touched re-derived once (its categories, its members' and their events).
 */
async function storeHouseholdRows(trx: Trx, rows: PreparedRow[], state: ImportState, outcomes: Map<number, RowOutcome>) {
  const { now, today } = state;
  const touched = new Map<string, Map<string, SeekerEvent>>();
  const touch = (householdId: string, seekerId?: string, event?: SeekerEvent) => {
    const map = touched.get(householdId) ?? new Map<string, SeekerEvent>();
    if (seekerId && event) map.set(seekerId, event);
    touched.set(householdId, map);
  };
  for (const row of rows) {
    const ref = row.household!;
    const fail = (errors: FieldError[]) => outcomes.set(row.line, { line: row.line, status: 'failed', errors });
    // A key's household fields must agree across the file's rows, also rows that change nothing.
    const key = ref.key === undefined ? undefined : `${row.community_code}\u0000${ref.key}`;
    const disagreement = key === undefined ? undefined : disagreeing(state, key, ref);
    if (disagreement) {
      fail([disagreement]);
      continue;
    }
    const remember = () => {
      if (key !== undefined) for (const [column, value] of givenAttributes(ref)) state.attributes.set(`${key}\u0000${column}`, { value, line: row.line });
    };
    // The row's household is checked before the person is looked up: a row naming an unknown
    // household answers the same whether or not its person is registered elsewhere.
    const household = await resolveHousehold(trx, row, ref, state);
    if ('errors' in household) {
      fail(household.errors);
      continue;
    }
    const existing = await trx.selectFrom('job_seekers').selectAll().where('id_number_hash', '=', row.id_number_hash).forUpdate().executeTakeFirst();
    if (existing && !inRegions(state.caller, existing.community_code)) {
      outcomes.set(row.line, { line: row.line, status: 'failed', errors: [OUTSIDE], elsewhere: { id: existing.id, region: existing.community_code } });
      continue;
    }
    remember();
    if (existing && existing.content_hash === row.content_hash) {
      outcomes.set(row.line, { line: row.line, status: 'unchanged', id: existing.id });
      continue;
    }
    if (household.id && (ref.relationship === 'head' || ref.relationship === 'spouse') && (await holderOf(trx, household.id, ref.relationship, existing?.id))) {
      fail([{ field: 'relationship', message: `the household already has a ${ref.relationship}` }]);
      continue;
    }
    const newHousehold = !household.id;
    const householdId = household.id ?? randomUUID();
    const links = await familyLinks(trx, row, existing, householdId);
    if ('errors' in links) {
      fail(links.errors);
      continue;
    }
    if (household.key) {
      if (newHousehold) {
        await trx
          .insertInto('households')
          .values({
            id: householdId,
            community_code: row.community_code,
            household_key: ref.key!,
            single_parent: false,
            minor_children: 0,
            other_employed_members: 0,
            ...ref.attributes,
            ...(ref.certificate ? { minimum_livelihood_certificate_enc: state.pii.encrypt(ref.certificate.number, certificatePii(householdId)), minimum_livelihood_since: ref.certificate.since } : {}),
          })
          .execute();
      } else if (Object.keys(ref.attributes).length) {
        await trx
          .updateTable('households')
          .set({ ...ref.attributes, version: sql`version + 1`, updated_at: now })
          .where('id', '=', householdId)
          .where(sql<boolean>`(single_parent, minor_children, other_employed_members) is distinct from (${sql.join(
            (['single_parent', 'minor_children', 'other_employed_members'] as const).map((c) => (ref.attributes[c] === undefined ? sql.ref(c) : sql`${ref.attributes[c]}`)),
          )})`)
          .execute();
      }
      if (!newHousehold && ref.certificate) await recordCertificate(trx, state, householdId, ref.certificate);
      state.keys.set(household.key, householdId);
    }
    // A person leaving a household leaves the links to and from it there.
    if (existing?.household_id && existing.household_id !== householdId) await unlinkFromHousehold(trx, existing.id);
    const fields = {
      name_enc: row.name_enc,
      retirement_scheme: row.retirement_scheme,
      phone_enc: row.phone_enc,
      community_code: row.community_code,
      education: row.education,
      skills: row.skills,
      desired_occupations: row.desired_occupations,
      expected_monthly_wage: row.expected_monthly_wage,
      able_to_work: row.able_to_work,
      willing_to_work: row.willing_to_work,
      laid_off: row.laid_off,
      minimum_livelihood: row.minimum_livelihood,
      disabled: row.disabled,
      household_id: householdId,
      relationship: ref.relationship,
      parent_ids: links.parentIds,
      raising_alone: links.raisingAlone,
      ...(ref.family.ownMinorChildren !== undefined ? { own_minor_children: ref.family.ownMinorChildren } : {}),
      content_hash: row.content_hash,
    };
    if (!existing) {
      await trx
        .insertInto('job_seekers')
        .values({
          ...fields,
          id: row.id,
          id_number_hash: row.id_number_hash,
          id_number_enc: row.id_number_enc,
          gender: row.gender,
          birth_date: row.birth_date,
          unemployed_since: row.unemployed_since ?? today,
          hardship_categories: row.hardship_categories,
          status: 'unemployed',
          status_since: now,
        })
        .execute();
      touch(householdId, row.id, 'seeker.registered');
      outcomes.set(row.line, { line: row.line, status: 'created', id: row.id });
    } else {
      await trx
        .updateTable('job_seekers')
        .set({
          ...fields,
          ...rebound(state.pii, row.id, existing.id, row),
          unemployed_since: existing.status === 'unemployed' ? (row.unemployed_since ?? existing.unemployed_since) : existing.unemployed_since,
          version: sql`version + 1`,
          updated_at: now,
        })
        .where('id', '=', existing.id)
        .execute();
      // Categories are re-derived below for the household it joins, and for the one it left.
      if (existing.household_id && existing.household_id !== householdId) touch(existing.household_id);
      touch(householdId, existing.id, 'seeker.updated');
      outcomes.set(row.line, { line: row.line, status: 'updated', id: existing.id });
    }
    if (links.spouseId) await linkSpouses(trx, existing?.id ?? row.id, links.spouseId);
  }
  // In id order, as every other re-derivation locks households, so two writers cannot deadlock.
  for (const [id, events] of [...touched].sort(([a], [b]) => a.localeCompare(b))) await rederiveHousehold(trx, id, { offerHours: state.offerHours, touched: events, at: now });
}

/** Stores one chunk in the caller's transaction (on the connection `client`) and reports each of its rows. */
export async function storeChunk(client: pg.PoolClient, trx: Trx, chunk: Chunk, state: ImportState): Promise<RowOutcome[]> {
  const outcomes = new Map<number, RowOutcome>();
  await storeSolo(client, trx, chunk, state, outcomes);
  if (chunk.households.length) await storeHouseholdRows(trx, chunk.households, state, outcomes);
  const lines = [...chunk.solo.map((r) => r.line), ...chunk.households.map((r) => r.line)];
  return lines.map(
    (line) => outcomes.get(line) ?? { line, status: 'failed', errors: [{ field: 'idNumber', message: 'was registered by another request meanwhile; upload the row again' }] },
  );
}
