import { randomUUID } from 'node:crypto';
import { VACANCY_SOURCES } from '@reemploy/domain';
import { isUniqueViolation, transact } from '@reemploy/db';
import { decodeCursor, inRegions, pageFrom, problems, visiblePrefixes, type Caller } from '@reemploy/http-kit';
import type { JobPostingsContext } from '../context.ts';
import { moveAttachments } from '../job-fairs/repository.ts';
import { assertWritable } from '../shared/schemas.ts';
import { publishVacancy } from './events.ts';
import {
  employerName,
  findOpenDuplicateId,
  findVacancy,
  insertVacancy,
  listVacancies,
  lockVacancies,
  nearDuplicatesOf,
  updateVacancy,
  type VacancyRow,
  type VacancyWithEmployer,
} from './repository.ts';
import { vacancyRuleErrors } from './rules.ts';
import { vacancyCursor, type CreateVacancyInput, type ListVacanciesQuery, type PatchVacancyInput } from './schemas.ts';
import { normaliseTitle } from './title.ts';

const DUPLICATE_DETAIL = 'The same post (employer, occupation, community and title) is already open';

/** Turns the race on the open-duplicate index into the same 409 the pre-check gives. */
async function rethrowDuplicate(ctx: JobPostingsContext, err: unknown, key: Parameters<typeof findOpenDuplicateId>[1]): Promise<never> {
  if (isUniqueViolation(err, 'vacancies_open_duplicate')) {
    const id = await findOpenDuplicateId(ctx.db, key);
    if (id) throw problems.duplicate(DUPLICATE_DETAIL, id);
  }
  throw err;
}

export interface CreateOptions {
  now?: Date;
  /** Where field errors point: `body` for the API, `row` for imports. */
  prefix?: string;
}

/** Creates an open vacancy; the same post collected again while open is a 409 naming it. */
export async function createVacancy(ctx: JobPostingsContext, caller: Caller, input: CreateVacancyInput, options: CreateOptions = {}): Promise<VacancyWithEmployer> {
  const { now = new Date(), prefix = 'body' } = options;
  assertWritable(caller, input.communityCode, `${prefix}.communityCode`);
  const errors = vacancyRuleErrors(input, now, 0, prefix);
  if (errors.length) throw problems.validation(errors);
  const key = { employerId: input.employerId, occupationCode: input.occupationCode, communityCode: input.communityCode, titleNormalised: normaliseTitle(input.title) };
  try {
    return await transact(ctx.db, async (trx) => {
      const name = await employerName(trx, input.employerId);
      if (name === undefined) throw problems.field(`${prefix}.employerId`, 'is not a known employer');
      const existing = await findOpenDuplicateId(trx, key);
      if (existing) throw problems.duplicate(DUPLICATE_DETAIL, existing);
      const row = await insertVacancy(trx, {
        id: randomUUID(),
        employer_id: input.employerId,
        title: input.title,
        title_normalised: key.titleNormalised,
        occupation_code: input.occupationCode,
        skills: input.skills,
        min_age: input.minAge,
        max_age: input.maxAge,
        education_min: input.educationMin,
        wage_min: input.wageMin,
        wage_max: input.wageMax,
        headcount: input.headcount,
        headcount_left: input.headcount,
        community_code: input.communityCode,
        kind: input.kind,
        source: input.source,
        sources: [input.source],
        reserved_for: input.reservedFor,
        description: input.description ?? null,
        valid_until: input.validUntil,
        status: 'open',
        refreshed_at: now,
        created_by: caller.sub,
      });
      await publishVacancy(trx, row, 'created');
      // No base can have reserved it yet: assistance-bases learns of it from vacancy.created.
      return { ...row, employer_name: name, aid_base_reservation: null };
    });
  } catch (err) {
    return rethrowDuplicate(ctx, err, key);
  }
}

export async function getVacancy(ctx: JobPostingsContext, caller: Caller, id: string): Promise<VacancyWithEmployer> {
  const row = await findVacancy(ctx.db, id);
  // Outside the caller's regions is indistinguishable from absent.
  if (!row || !inRegions(caller, row.community_code)) throw problems.notFound(`Vacancy ${id}`);
  return row;
}

/** Near duplicates are only worth a coordinator's look while the vacancy is open, and only those the caller may see. */
export async function nearDuplicates(ctx: JobPostingsContext, caller: Caller, row: VacancyRow) {
  const prefixes = visiblePrefixes(caller);
  if (row.status !== 'open' || !prefixes.length) return [];
  return nearDuplicatesOf(
    ctx.db,
    { id: row.id, employerId: row.employer_id, occupationCode: row.occupation_code, titleNormalised: row.title_normalised },
    prefixes,
    ctx.env.VACANCY_NEAR_DUPLICATE_SIMILARITY,
  );
}

async function lockVisible(trx: Parameters<typeof lockVacancies>[0], caller: Caller, id: string): Promise<VacancyRow> {
  const [row] = await lockVacancies(trx, [id]);
  if (!row || !inRegions(caller, row.community_code)) throw problems.notFound(`Vacancy ${id}`);
  return row;
}

function assertOpen(row: VacancyRow) {
  if (row.status !== 'open') throw problems.conflict(`The vacancy is ${row.status}; only an open vacancy can change`, { vacancyStatus: row.status });
}

/** Changes an open vacancy under If-Match; every change (even none) refreshes it. */
export async function changeVacancy(ctx: JobPostingsContext, caller: Caller, id: string, input: PatchVacancyInput, checkVersion: (row: VacancyRow) => void, now = new Date()) {
  if (input.communityCode !== undefined) assertWritable(caller, input.communityCode, 'body.communityCode');
  let key: Parameters<typeof findOpenDuplicateId>[1] | undefined;
  try {
    return await transact(ctx.db, async (trx) => {
      const row = await lockVisible(trx, caller, id);
      checkVersion(row);
      assertOpen(row);
      const merged = {
        title: input.title ?? row.title,
        minAge: input.minAge ?? row.min_age,
        maxAge: input.maxAge ?? row.max_age,
        wageMin: input.wageMin ?? row.wage_min,
        wageMax: input.wageMax ?? row.wage_max,
        headcount: input.headcount ?? row.headcount,
        kind: input.kind ?? row.kind,
        reservedFor: input.reservedFor ?? row.reserved_for,
        validUntil: input.validUntil ?? row.valid_until,
      };
      const hired = row.headcount - row.headcount_left;
      const errors = vacancyRuleErrors(merged, now, hired);
      if (errors.length) throw problems.validation(errors);
      key = {
        employerId: row.employer_id,
        occupationCode: input.occupationCode ?? row.occupation_code,
        communityCode: input.communityCode ?? row.community_code,
        titleNormalised: normaliseTitle(merged.title),
      };
      const existing = await findOpenDuplicateId(trx, key);
      if (existing && existing !== id) throw problems.duplicate(DUPLICATE_DETAIL, existing);
      const left = merged.headcount - hired;
      const updated = await updateVacancy(trx, id, {
        title: merged.title,
        title_normalised: key.titleNormalised,
        occupation_code: key.occupationCode,
        community_code: key.communityCode,
        ...(input.skills !== undefined ? { skills: input.skills } : {}),
        min_age: merged.minAge,
        max_age: merged.maxAge,
        ...(input.educationMin !== undefined ? { education_min: input.educationMin } : {}),
        wage_min: merged.wageMin,
        wage_max: merged.wageMax,
        headcount: merged.headcount,
        headcount_left: left,
        kind: merged.kind,
        reserved_for: [...merged.reservedFor],
        ...(input.description !== undefined ? { description: input.description } : {}),
        valid_until: merged.validUntil,
        refreshed_at: now,
        ...(left === 0 ? { status: 'filled', status_reason: 'every post filled by hires', closed_at: now } : {}),
      });
      await publishVacancy(trx, updated, 'updated');
      return updated;
    });
  } catch (err) {
    if (key) return rethrowDuplicate(ctx, err, key);
    throw err;
  }
}

/** Withdraws an open vacancy with a reason. */
export async function closeVacancy(ctx: JobPostingsContext, caller: Caller, id: string, reason: string, checkVersion: (row: VacancyRow) => void, now = new Date()) {
  return transact(ctx.db, async (trx) => {
    const row = await lockVisible(trx, caller, id);
    checkVersion(row);
    assertOpen(row);
    const closed = await updateVacancy(trx, id, { status: 'closed', status_reason: reason, closed_at: now });
    await publishVacancy(trx, closed, 'updated');
    return closed;
  });
}

/**
 * Folds a duplicate into the kept vacancy: the kept one gains its sources and the
 * duplicate's job fairs, the duplicate closes pointing at it. If-Match is on the kept one.
 */
export async function mergeVacancies(ctx: JobPostingsContext, caller: Caller, keepId: string, duplicateId: string, checkVersion: (row: VacancyRow) => void, now = new Date()) {
  if (keepId === duplicateId) throw problems.field('body.duplicateId', 'must be another vacancy than the one kept');
  return transact(ctx.db, async (trx) => {
    const rows = await lockVacancies(trx, [keepId, duplicateId]);
    const keep = rows.find((r) => r.id === keepId);
    const dup = rows.find((r) => r.id === duplicateId);
    if (!keep || !inRegions(caller, keep.community_code)) throw problems.notFound(`Vacancy ${keepId}`);
    if (!dup || !inRegions(caller, dup.community_code)) throw problems.field('body.duplicateId', 'is not a known vacancy');
    checkVersion(keep);
    assertOpen(keep);
    if (dup.status !== 'open') throw problems.conflict(`The duplicate is ${dup.status}; only an open vacancy can be merged`, { vacancyStatus: dup.status });
    if (dup.employer_id !== keep.employer_id) throw problems.field('body.duplicateId', 'belongs to another employer');
    const closed = await updateVacancy(trx, dup.id, { status: 'closed', status_reason: `merged into ${keep.id}`, closed_at: now, merged_into: keep.id });
    const sources = VACANCY_SOURCES.filter((s) => keep.sources.includes(s) || dup.sources.includes(s));
    const kept = await updateVacancy(trx, keep.id, {
      sources,
      merged_from: [...keep.merged_from, dup.id, ...dup.merged_from.filter((m) => !keep.merged_from.includes(m))],
      refreshed_at: keep.refreshed_at > dup.refreshed_at ? keep.refreshed_at : dup.refreshed_at,
    });
    await moveAttachments(trx, dup.id, keep.id);
    await publishVacancy(trx, closed, 'updated');
    await publishVacancy(trx, kept, 'updated');
    return kept;
  });
}

export async function listVacanciesFor(ctx: JobPostingsContext, caller: Caller, q: ListVacanciesQuery) {
  const prefixes = visiblePrefixes(caller, q.region);
  if (!prefixes.length) return { rows: [] as VacancyWithEmployer[], nextCursor: null };
  const text = q.q === undefined ? undefined : normaliseTitle(q.q);
  if (text === '') throw problems.field('query.q', 'must contain letters or digits');
  const after = decodeCursor(q.cursor, vacancyCursor);
  const rows = await listVacancies(ctx.db, { ...q, prefixes, text, after });
  const { items, nextCursor } = pageFrom(rows, q.limit, (last) => ({ at: last.cursor_at, id: last.id }));
  return { rows: items as VacancyWithEmployer[], nextCursor };
}
