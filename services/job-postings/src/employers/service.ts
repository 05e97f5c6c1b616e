import { randomUUID } from 'node:crypto';
import { parseCreditCode, type CreditCodeResult } from '@reemploy/domain/credit-code';
import { isUniqueViolation, transact } from '@reemploy/db';
import { decodeCursor, inRegions, pageFrom, Problem, problems, visiblePrefixes, type Caller } from '@reemploy/http-kit';
import type { JobPostingsContext } from '../context.ts';
import { assertWritable } from '../shared/schemas.ts';
import { employerPii } from './pii.ts';
import { findEmployerById, findEmployerIdByCreditCode, insertEmployer, listEmployers, lockEmployer, updateEmployer, type EmployerRow } from './repository.ts';
import { employerCursor, type CreateEmployerInput, type ListEmployersQuery, type PatchEmployerInput } from './schemas.ts';

function compactPhone(phone: string): string {
  return phone.replace(/[\s-]/g, '').replace(/^\+86/, '');
}

/** A credit code already registered: a 409 naming the existing record, unless it lies outside the caller's regions. */
async function duplicateOf(ctx: JobPostingsContext, caller: Caller, id: string): Promise<Problem> {
  const row = await findEmployerById(ctx.db, id);
  if (row && inRegions(caller, row.community_code)) return problems.duplicate('An employer with this credit code is already registered', id);
  return new Problem(409, 'duplicate', 'Already exists', 'An employer with this credit code is already registered in an area outside your regions');
}

/** Registers an employer; a credit code already registered is a 409 naming the existing record. */
export async function registerEmployer(ctx: JobPostingsContext, caller: Caller, input: CreateEmployerInput): Promise<EmployerRow> {
  const parsed = parseCreditCode(input.creditCode) as Extract<CreditCodeResult, { ok: true }>;
  assertWritable(caller, input.communityCode, 'body.communityCode');
  const existing = await findEmployerIdByCreditCode(ctx.db, parsed.creditCode);
  if (existing) throw await duplicateOf(ctx, caller, existing);
  const id = randomUUID();
  try {
    return await insertEmployer(ctx.db, {
      id,
      name: input.name,
      credit_code: parsed.creditCode,
      community_code: input.communityCode,
      address: input.address ?? null,
      contact_name_enc: input.contactName ? ctx.pii.encrypt(input.contactName, employerPii(id, 'contact_name_enc')) : null,
      contact_phone_enc: input.contactPhone ? ctx.pii.encrypt(compactPhone(input.contactPhone), employerPii(id, 'contact_phone_enc')) : null,
      created_by: caller.sub,
    });
  } catch (err) {
    // Two registrations racing: the loser learns the winner's id.
    if (isUniqueViolation(err, 'employers_credit_code_key')) {
      const id = await findEmployerIdByCreditCode(ctx.db, parsed.creditCode);
      if (id) throw await duplicateOf(ctx, caller, id);
    }
    throw err;
  }
}

export async function getEmployer(ctx: JobPostingsContext, caller: Caller, id: string): Promise<EmployerRow> {
  const row = await findEmployerById(ctx.db, id);
  // Outside the caller's regions is indistinguishable from absent.
  if (!row || !inRegions(caller, row.community_code)) throw problems.notFound(`Employer ${id}`);
  return row;
}

export async function changeEmployer(ctx: JobPostingsContext, caller: Caller, id: string, input: PatchEmployerInput, checkVersion: (row: EmployerRow) => void): Promise<EmployerRow> {
  if (input.communityCode !== undefined) assertWritable(caller, input.communityCode, 'body.communityCode');
  return transact(ctx.db, async (trx) => {
    const row = await lockEmployer(trx, id);
    if (!row || !inRegions(caller, row.community_code)) throw problems.notFound(`Employer ${id}`);
    checkVersion(row);
    return updateEmployer(trx, id, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.communityCode !== undefined ? { community_code: input.communityCode } : {}),
      ...(input.address !== undefined ? { address: input.address } : {}),
      ...(input.contactName !== undefined ? { contact_name_enc: input.contactName === null ? null : ctx.pii.encrypt(input.contactName, employerPii(id, 'contact_name_enc')) } : {}),
      ...(input.contactPhone !== undefined
        ? { contact_phone_enc: input.contactPhone === null ? null : ctx.pii.encrypt(compactPhone(input.contactPhone), employerPii(id, 'contact_phone_enc')) }
        : {}),
    });
  });
}

export async function listEmployersFor(ctx: JobPostingsContext, caller: Caller, q: ListEmployersQuery) {
  const prefixes = visiblePrefixes(caller, q.region);
  if (!prefixes.length) return { rows: [] as EmployerRow[], nextCursor: null };
  const after = decodeCursor(q.cursor, employerCursor);
  const code = q.creditCode ? parseCreditCode(q.creditCode) : undefined;
  if (code && !code.ok) throw problems.field('query.creditCode', code.reason);
  const rows = await listEmployers(ctx.db, { prefixes, q: q.q, creditCode: code?.creditCode, after, limit: q.limit });
  const { items, nextCursor } = pageFrom(rows, q.limit, (last) => ({ at: last.cursor_at, id: last.id }));
  return { rows: items as EmployerRow[], nextCursor };
}
