import { randomUUID } from 'node:crypto';
import { ageAt, ageBand, maskIdNumber, maskPhone, parseIdNumber, type EducationLevel, type Gender, type SeekerStatus } from '@reemploy/domain';
import type { EventPayload } from '@reemploy/events';
import { inRegions, problems, type Caller } from '@reemploy/http-kit';
import { isUniqueViolation } from '@reemploy/db';
import { recordEvent } from '@reemploy/messaging';
import type { ServiceContext } from '@reemploy/runtime';
import type { RegistrationEnv } from '../config.ts';
import type { RegistrationDB } from '../database.ts';
import { findSeekerById, findSeekerIdByHash, insertSeeker, type JobSeekerRow } from './repository.ts';
import type { CreateJobSeekerInput, JobSeekerView } from './schemas.ts';

type Ctx = ServiceContext<RegistrationDB, RegistrationEnv>;

function maskName(name: string): string {
  return [...name][0] + '*'.repeat(Math.max(1, [...name].length - 1));
}

export function toView(ctx: Ctx, caller: Caller, row: JobSeekerRow, at = new Date()): JobSeekerView {
  const reveal = caller.scopes.has('pii:read');
  const idNumber = ctx.pii.decrypt(row.id_number_enc);
  const name = ctx.pii.decrypt(row.name_enc);
  const phone = row.phone_enc ? ctx.pii.decrypt(row.phone_enc) : null;
  const age = ageAt(row.birth_date, at);
  return {
    id: row.id,
    idNumber: reveal ? idNumber : maskIdNumber(idNumber),
    name: reveal ? name : maskName(name),
    phone: phone === null ? null : reveal ? phone : maskPhone(phone),
    gender: row.gender as Gender,
    birthDate: row.birth_date,
    age,
    ageBand: ageBand(age),
    communityCode: row.community_code,
    education: row.education as EducationLevel,
    skills: row.skills,
    desiredOccupations: row.desired_occupations,
    expectedMonthlyWage: row.expected_monthly_wage,
    ableToWork: row.able_to_work,
    willingToWork: row.willing_to_work,
    status: row.status as SeekerStatus,
    hardshipCategories: [],
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function seekerSnapshot(row: JobSeekerRow): EventPayload<'seeker.registered'> {
  return {
    seekerId: row.id,
    householdId: null,
    communityCode: row.community_code,
    gender: row.gender as Gender,
    birthDate: row.birth_date,
    education: row.education as EducationLevel,
    skills: row.skills,
    desiredOccupations: row.desired_occupations,
    expectedMonthlyWage: row.expected_monthly_wage,
    ableToWork: row.able_to_work,
    willingToWork: row.willing_to_work,
    status: row.status as SeekerStatus,
    hardshipCategories: [],
  };
}

/** Registers a job seeker; the same person twice is a 409 naming the existing record. */
export async function registerJobSeeker(ctx: Ctx, caller: Caller, input: CreateJobSeekerInput): Promise<JobSeekerRow> {
  const parsed = parseIdNumber(input.idNumber);
  if (!parsed.ok) throw problems.field('body.idNumber', parsed.reason);
  if (!inRegions(caller, input.communityCode)) throw problems.outsideRegions('body.communityCode');
  const hash = ctx.pii.hash(parsed.idNumber);
  const existing = await findSeekerIdByHash(ctx.db, hash);
  if (existing) throw problems.duplicate('This person is already registered', existing);
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const row = await insertSeeker(trx, {
        id: randomUUID(),
        id_number_hash: hash,
        id_number_enc: ctx.pii.encrypt(parsed.idNumber),
        name_enc: ctx.pii.encrypt(input.name),
        phone_enc: input.phone ? ctx.pii.encrypt(input.phone.replace(/[\s-]/g, '')) : null,
        gender: parsed.gender,
        birth_date: parsed.birthDate,
        community_code: input.communityCode,
        education: input.education,
        skills: input.skills,
        desired_occupations: input.desiredOccupations,
        expected_monthly_wage: input.expectedMonthlyWage ?? null,
        able_to_work: input.ableToWork,
        willing_to_work: input.willingToWork,
        status: 'unemployed',
      });
      await recordEvent(trx, 'seeker.registered', row.id, seekerSnapshot(row));
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      const id = await findSeekerIdByHash(ctx.db, hash);
      if (id) throw problems.duplicate('This person is already registered', id);
    }
    throw err;
  }
}

export async function getJobSeeker(ctx: Ctx, caller: Caller, id: string): Promise<JobSeekerRow> {
  const row = await findSeekerById(ctx.db, id);
  // Outside the caller's regions is indistinguishable from absent.
  if (!row || !inRegions(caller, row.community_code)) throw problems.notFound(`Job seeker ${id}`);
  return row;
}
