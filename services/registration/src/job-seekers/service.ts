import { randomUUID } from 'node:crypto';
import { cityDate, parseIdNumber, schemeFits, type Gender, type Relationship } from '@reemploy/domain';
import { individualCategories } from '@reemploy/domain/hardship';
import { recordEvent } from '@reemploy/messaging';
import { decodeCursor, inRegions, pageFrom, Problem, problems, visiblePrefixes, type AuditedRequest, type Caller } from '@reemploy/http-kit';
import { isUniqueViolation, transact } from '@reemploy/db';
import type { Transaction } from 'kysely';
import type { RegistrationContext } from '../context.ts';
import type { RegistrationDB } from '../database.ts';
import { rederiveFor } from '../hardship/rederive.ts';
import { assertCommunity } from '../regions/service.ts';
import { seekerPii } from './pii.ts';
import { familyProblem, type FamilyLinks } from './family.ts';
import { findSeekerByHash, findSeekerById, holderOf, insertSeeker, linkSpouses, listSeekers, lockSeeker, unlinkFromHousehold, unlinkSpouse, updateSeeker, type JobSeekerRow } from './repository.ts';
import { budgetLeft, recordRegisteredElsewhere, registeredElsewhereMetric } from './registered-elsewhere.ts';
import { pageCursor, type CreateJobSeekerInput, type ListJobSeekersQuery, type PatchJobSeekerInput } from './schemas.ts';
import { bornBy, contentHash } from './content.ts';
import { schemeMismatch, schemeToRecord } from './retirement.ts';
import { seekerSnapshot } from './view.ts';

function checkUnemployedSince(value: string | null | undefined, birthDate: string) {
  if (!value) return;
  if (value > cityDate()) throw problems.field('body.unemployedSince', 'is in the future');
  if (value < bornBy(birthDate)) throw problems.field('body.unemployedSince', 'is before the birth date');
}

/**
 * Checks that a seeker may join a household as the given relation: the
 * household exists in the caller's regions and the seeker's community, and
 * it has no other head or spouse.
 */
async function checkMembership(trx: Transaction<RegistrationDB>, caller: Caller, seekerId: string | undefined, householdId: string | null | undefined, relationship: Relationship | null | undefined, communityCode: string) {
  if (!householdId) return;
  const household = await trx.selectFrom('households').select(['id', 'community_code']).where('id', '=', householdId).forUpdate().executeTakeFirst();
  if (!household || !inRegions(caller, household.community_code)) throw problems.field('body.householdId', 'is not a known household');
  if (!relationship) throw problems.field('body.relationship', 'is required with householdId');
  if (household.community_code !== communityCode) throw problems.field('body.householdId', 'belongs to another community than body.communityCode');
  if (relationship === 'head' || relationship === 'spouse') {
    if (await holderOf(trx, householdId, relationship, seekerId)) throw problems.field('body.relationship', `the household already has a ${relationship}`);
  }
}

/** The same person twice inside the caller's regions: a 409 naming the existing record. */
const alreadyRegistered = (id: string) => problems.duplicate('This person is already registered', id);
/** The same person registered outside the caller's regions: a 409 naming nothing (audited, counted: registered-elsewhere.ts). */
const registeredElsewhere = () => new Problem(409, 'duplicate', 'Already exists', 'This person is already registered in an area outside your regions');

async function checkFamily(trx: Transaction<RegistrationDB>, seekerId: string | undefined, householdId: string | null, links: FamilyLinks) {
  const problem = await familyProblem(trx, seekerId, householdId, links);
  if (problem) throw problems.field(`body.${problem.field}`, problem.message);
}

/** A unique index that only a concurrent writer can hit, as the 400 the checks give. */
function membershipConflict(err: unknown): Problem | undefined {
  if (isUniqueViolation(err, 'job_seekers_one_spouse') || isUniqueViolation(err, 'job_seekers_one_head')) return problems.field('body.relationship', 'the household already has one');
  if (isUniqueViolation(err, 'job_seekers_one_spouse_link')) return problems.field('body.spouseId', 'is already the spouse of another member');
  return undefined;
}

/**
 * Registers a job seeker. Everything the request says is checked first (the
 * number, the community, the dates, the household and the relation), and only
 * then is the person looked up: an invalid request answers the same whoever it
 * names. The same person twice is a 409 naming the existing record, or, when
 * it lies outside the caller's regions, a 409 that is audited and counted
 * against the caller's budget (429 once spent, for any registration).
 */
export async function registerJobSeeker(ctx: RegistrationContext, caller: Caller, input: CreateJobSeekerInput, by: AuditedRequest, retried = false): Promise<JobSeekerRow> {
  const parsed = parseIdNumber(input.idNumber);
  if (!parsed.ok) throw problems.field('body.idNumber', parsed.reason);
  await assertCommunity(ctx, caller, input.communityCode, 'body.communityCode');
  checkUnemployedSince(input.unemployedSince, parsed.birthDate);
  const retirementScheme = schemeToRecord(input.retirementScheme, parsed.gender, ctx.env.DEFAULT_FEMALE_RETIREMENT_SCHEME);
  if (!retirementScheme) throw problems.field('body.retirementScheme', schemeMismatch(input.retirementScheme!, parsed.gender));
  if (input.relationship && !input.householdId) throw problems.field('body.householdId', 'is required with relationship');
  const hash = ctx.pii.hash(parsed.idNumber);
  const phone = input.phone ? input.phone.replace(/[\s-]/g, '').replace(/^\+86/, '') : null;
  const links: FamilyLinks = { spouseId: input.spouseId ?? null, parentIds: input.parentIds ?? [], raisingAlone: input.raisingAlone ?? false };
  try {
    const outcome = await transact(ctx.db, async (trx) => {
      await budgetLeft(trx, ctx, caller, 'post', true);
      await checkMembership(trx, caller, undefined, input.householdId, input.relationship, input.communityCode);
      await checkFamily(trx, undefined, input.householdId ?? null, links);
      const existing = await findSeekerByHash(trx, hash);
      if (existing && inRegions(caller, existing.community_code)) return { kind: 'duplicate' as const, id: existing.id };
      if (existing) {
        await recordRegisteredElsewhere(trx, by, [{ id: existing.id, region: existing.community_code }]);
        return { kind: 'elsewhere' as const };
      }
      const id = randomUUID();
      const row = await insertSeeker(trx, {
        id,
        id_number_hash: hash,
        id_number_enc: ctx.pii.encrypt(parsed.idNumber, seekerPii(id, 'id_number_enc')),
        name_enc: ctx.pii.encrypt(input.name, seekerPii(id, 'name_enc')),
        phone_enc: phone ? ctx.pii.encrypt(phone, seekerPii(id, 'phone_enc')) : null,
        gender: parsed.gender,
        birth_date: parsed.birthDate,
        retirement_scheme: retirementScheme,
        community_code: input.communityCode,
        household_id: input.householdId ?? null,
        relationship: input.relationship ?? null,
        parent_ids: links.parentIds,
        own_minor_children: input.ownMinorChildren ?? 0,
        raising_alone: links.raisingAlone,
        education: input.education,
        skills: input.skills,
        desired_occupations: input.desiredOccupations,
        expected_monthly_wage: input.expectedMonthlyWage ?? null,
        able_to_work: input.ableToWork,
        willing_to_work: input.willingToWork,
        laid_off: input.laidOff,
        minimum_livelihood: input.minimumLivelihood,
        disabled: input.disabled,
        unemployed_since: input.unemployedSince ?? cityDate(),
        status: 'unemployed',
        status_since: new Date(),
        hardship_categories: individualCategories(
          { ...input, id: '', relationship: null, gender: parsed.gender, birthDate: parsed.birthDate, retirementScheme, status: 'unemployed', unemployedSince: input.unemployedSince ?? cityDate() },
          new Date(),
        ),
        content_hash: contentHash(ctx.pii, { ...input, idNumber: parsed.idNumber, phone }),
      });
      if (links.spouseId) await linkSpouses(trx, row.id, links.spouseId);
      if (row.household_id) return { kind: 'registered' as const, row: await rederiveFor(trx, row, 'seeker.registered', { offerHours: ctx.env.ZERO_EMPLOYMENT_OFFER_HOURS }) };
      // Alone, the categories were derived before the insert: publish and done.
      await recordEvent(trx, 'seeker.registered', row.id, seekerSnapshot(row));
      return { kind: 'registered' as const, row };
    });
    if (outcome.kind === 'duplicate') throw alreadyRegistered(outcome.id);
    if (outcome.kind === 'elsewhere') {
      registeredElsewhereMetric(ctx).inc({ channel: 'post', outcome: 'answered' });
      throw registeredElsewhere();
    }
    return outcome.row;
  } catch (err) {
    // Registered by a concurrent request meanwhile: looked up again, as the next request would.
    if (isUniqueViolation(err, 'job_seekers_id_number_hash_key') && !retried) return registerJobSeeker(ctx, caller, input, by, true);
    throw membershipConflict(err) ?? err;
  }
}

export async function getJobSeeker(ctx: RegistrationContext, caller: Caller, id: string): Promise<JobSeekerRow> {
  const row = await findSeekerById(ctx.db, id);
  // Outside the caller's regions is indistinguishable from absent.
  if (!row || !inRegions(caller, row.community_code)) throw problems.notFound(`Job seeker ${id}`);
  return row;
}

/** Applies a partial update under If-Match and re-derives the households concerned. */
export async function updateJobSeeker(ctx: RegistrationContext, caller: Caller, id: string, input: PatchJobSeekerInput, checkVersion: (row: JobSeekerRow) => void): Promise<JobSeekerRow> {
  if (input.communityCode !== undefined) await assertCommunity(ctx, caller, input.communityCode, 'body.communityCode');
  try {
    return await transact(ctx.db, async (trx) => {
      const row = await lockSeeker(trx, id);
      if (!row || !inRegions(caller, row.community_code)) throw problems.notFound(`Job seeker ${id}`);
      checkVersion(row);
      checkUnemployedSince(input.unemployedSince, row.birth_date);
      const gender = row.gender as Gender;
      if (input.retirementScheme && !schemeFits(input.retirementScheme, gender)) throw problems.field('body.retirementScheme', schemeMismatch(input.retirementScheme, gender));
      const householdId = input.householdId === undefined ? row.household_id : input.householdId;
      const relationship = householdId === null ? null : input.relationship === undefined ? (row.relationship as Relationship | null) : input.relationship;
      const communityCode = input.communityCode ?? row.community_code;
      if (relationship && !householdId) throw problems.field('body.householdId', 'is required with relationship');
      const membershipChanged = householdId !== row.household_id || relationship !== row.relationship || communityCode !== row.community_code;
      if (membershipChanged) await checkMembership(trx, caller, id, householdId, relationship, communityCode);
      // A seeker leaving its household leaves its links there; the new ones are checked against the household it joins.
      const moved = householdId !== row.household_id;
      const links: FamilyLinks = {
        spouseId: input.spouseId !== undefined ? input.spouseId : moved ? null : row.spouse_id,
        parentIds: input.parentIds ?? (moved ? [] : row.parent_ids),
        raisingAlone: input.raisingAlone ?? row.raising_alone,
      };
      const linksChanged = moved || input.spouseId !== undefined || input.parentIds !== undefined || input.raisingAlone !== undefined;
      if (linksChanged) await checkFamily(trx, id, householdId, links);
      if (moved) await unlinkFromHousehold(trx, id);
      const phone = input.phone === undefined ? undefined : input.phone === null ? null : input.phone.replace(/[\s-]/g, '').replace(/^\+86/, '');
      const updated = await updateSeeker(trx, id, {
        ...(input.name !== undefined ? { name_enc: ctx.pii.encrypt(input.name, seekerPii(id, 'name_enc')) } : {}),
        ...(phone !== undefined ? { phone_enc: phone === null ? null : ctx.pii.encrypt(phone, seekerPii(id, 'phone_enc')) } : {}),
        community_code: communityCode,
        household_id: householdId,
        relationship,
        parent_ids: links.parentIds,
        raising_alone: links.raisingAlone,
        ...(input.ownMinorChildren !== undefined ? { own_minor_children: input.ownMinorChildren } : {}),
        ...(input.education !== undefined ? { education: input.education } : {}),
        ...(input.skills !== undefined ? { skills: input.skills } : {}),
        ...(input.desiredOccupations !== undefined ? { desired_occupations: input.desiredOccupations } : {}),
        ...(input.expectedMonthlyWage !== undefined ? { expected_monthly_wage: input.expectedMonthlyWage } : {}),
        ...(input.ableToWork !== undefined ? { able_to_work: input.ableToWork } : {}),
        ...(input.willingToWork !== undefined ? { willing_to_work: input.willingToWork } : {}),
        ...(input.laidOff !== undefined ? { laid_off: input.laidOff } : {}),
        ...(input.minimumLivelihood !== undefined ? { minimum_livelihood: input.minimumLivelihood } : {}),
        ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
        ...(input.unemployedSince !== undefined ? { unemployed_since: input.unemployedSince } : {}),
        ...(input.retirementScheme !== undefined ? { retirement_scheme: input.retirementScheme } : {}),
        // A changed record no longer matches its import line.
        content_hash: null,
      });
      if (linksChanged) await (links.spouseId ? linkSpouses(trx, id, links.spouseId) : unlinkSpouse(trx, id));
      return rederiveFor(trx, updated, 'seeker.updated', { offerHours: ctx.env.ZERO_EMPLOYMENT_OFFER_HOURS, previousHouseholdId: row.household_id });
    });
  } catch (err) {
    throw membershipConflict(err) ?? err;
  }
}

export async function listJobSeekers(ctx: RegistrationContext, caller: Caller, q: ListJobSeekersQuery) {
  const prefixes = visiblePrefixes(caller, q.region);
  if (!prefixes.length) return { rows: [] as JobSeekerRow[], nextCursor: null };
  const after = decodeCursor(q.cursor, pageCursor);
  const rows = await listSeekers(ctx.db, { prefixes, status: q.status, category: q.category, householdId: q.householdId, after, limit: q.limit });
  const { items, nextCursor } = pageFrom(rows, q.limit, (last) => ({ at: last.cursor_at, id: last.id }));
  return { rows: items as JobSeekerRow[], nextCursor };
}
