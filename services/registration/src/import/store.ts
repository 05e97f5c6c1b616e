import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { deriveHardship, sameCategories } from '@reemploy/domain/hardship';
import { eventContracts } from '@reemploy/events';
import type { RegistrationDB } from '../database.ts';
import { rederiveHousehold, type SeekerEvent } from '../hardship/rederive.ts';
import type { JobSeekerRow } from '../job-seekers/repository.ts';
import { seekerSnapshot, toHardshipMember } from '../job-seekers/view.ts';
import type { PreparedRow } from './rows.ts';

type Trx = Transaction<RegistrationDB>;

export type RowOutcome = { line: number; status: 'created' | 'updated' | 'unchanged'; id: string } | { line: number; status: 'failed'; errors: { field: string; message: string }[] };

// Columns and their SQL types, shared by the insert and the update below.
const COLUMNS: [string, string][] = [
  ['id', 'uuid'], ['id_number_hash', 'text'], ['id_number_enc', 'text'], ['name_enc', 'text'], ['phone_enc', 'text'], ['gender', 'text'],
  ['birth_date', 'date'], ['community_code', 'text'], ['education', 'text'], ['skills', 'text[]'], ['desired_occupations', 'text[]'],
  ['expected_monthly_wage', 'integer'], ['able_to_work', 'boolean'], ['willing_to_work', 'boolean'], ['laid_off', 'boolean'],
  ['minimum_livelihood', 'boolean'], ['disabled', 'boolean'], ['unemployed_since', 'date'], ['hardship_categories', 'text[]'], ['content_hash', 'text'],
];
const RECORD = sql.raw(COLUMNS.map(([c, t]) => `${c} ${t}`).join(', '));
const NAMES = sql.raw(COLUMNS.map(([c]) => c).join(', '));

function asJson(rows: PreparedRow[]): string {
  return JSON.stringify(rows.map((r) => Object.fromEntries(COLUMNS.map(([c]) => [c, r[c as keyof PreparedRow]]))));
}

/** Bulk outbox write: the same rows recordEvent writes, one statement for the chunk. */
async function recordEvents(trx: Trx, events: { type: SeekerEvent; row: JobSeekerRow }[]) {
  if (!events.length) return;
  await trx
    .insertInto('outbox')
    .values(events.map(({ type, row }) => ({ id: randomUUID(), type, version: eventContracts[type].version, subject: row.id, payload: JSON.stringify(seekerSnapshot(row)) })))
    .execute();
}

/**
 * Stores one chunk in the caller's transaction: new people inserted, changed
 * ones updated (status, household and history untouched), identical ones left
 * alone, and one outbox event per stored change.
 */
export async function storeChunk(trx: Trx, rows: PreparedRow[], opts: { offerHours: number; now: Date; today: string }): Promise<RowOutcome[]> {
  const { offerHours, now, today } = opts;
  const existing = await trx
    .selectFrom('job_seekers')
    .select(['id', 'id_number_hash', 'content_hash'])
    .where('id_number_hash', 'in', rows.map((r) => r.id_number_hash))
    .forUpdate()
    .execute();
  const known = new Map(existing.map((e) => [e.id_number_hash, e]));
  const fresh = rows.filter((r) => !known.has(r.id_number_hash));
  const changed = rows.filter((r) => known.has(r.id_number_hash) && known.get(r.id_number_hash)!.content_hash !== r.content_hash);
  const outcomes = new Map<string, RowOutcome>();
  for (const r of rows) {
    const e = known.get(r.id_number_hash);
    if (e && e.content_hash === r.content_hash) outcomes.set(r.id_number_hash, { line: r.line, status: 'unchanged', id: e.id });
  }

  if (fresh.length) {
    const inserted = await sql<JobSeekerRow>`
      insert into job_seekers (${NAMES}, status, status_since)
      select ${sql.join(COLUMNS.map(([c]) => (c === 'unemployed_since' ? sql`coalesce(v.unemployed_since, ${today}::date)` : sql.ref(`v.${c}`))))}, 'unemployed', ${now}
      from jsonb_to_recordset(${asJson(fresh)}::jsonb) as v(${RECORD})
      on conflict (id_number_hash) do nothing
      returning *`.execute(trx);
    await recordEvents(trx, inserted.rows.map((row) => ({ type: 'seeker.registered', row })));
    for (const row of inserted.rows) outcomes.set(row.id_number_hash, { line: 0, status: 'created', id: row.id });
  }

  if (changed.length) {
    const updated = await sql<JobSeekerRow>`
      update job_seekers j set
        name_enc = v.name_enc, phone_enc = v.phone_enc, community_code = v.community_code, education = v.education,
        skills = v.skills, desired_occupations = v.desired_occupations, expected_monthly_wage = v.expected_monthly_wage,
        able_to_work = v.able_to_work, willing_to_work = v.willing_to_work, laid_off = v.laid_off,
        minimum_livelihood = v.minimum_livelihood, disabled = v.disabled,
        unemployed_since = case when j.status = 'unemployed' then coalesce(v.unemployed_since, j.unemployed_since) else j.unemployed_since end,
        content_hash = v.content_hash, version = j.version + 1, updated_at = now()
      from jsonb_to_recordset(${asJson(changed)}::jsonb) as v(${RECORD})
      where j.id_number_hash = v.id_number_hash
      returning j.*`.execute(trx);
    const solo: { type: SeekerEvent; row: JobSeekerRow }[] = [];
    const households = new Map<string, Map<string, SeekerEvent>>();
    for (const row of updated.rows) {
      outcomes.set(row.id_number_hash, { line: 0, status: 'updated', id: row.id });
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

  return rows.map((r) => {
    const o = outcomes.get(r.id_number_hash);
    if (!o) return { line: r.line, status: 'failed', errors: [{ field: 'idNumber', message: 'was registered by another request meanwhile; upload the row again' }] };
    return { ...o, line: r.line };
  });
}
