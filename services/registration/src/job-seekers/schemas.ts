import { z } from 'zod';
import {
  AGE_BANDS,
  EDUCATION_LEVELS,
  GENDERS,
  HARDSHIP_CATEGORIES,
  RELATIONSHIPS,
  RETIREMENT_SCHEMES,
  SEEKER_STATUSES,
  parseIdNumber,
  parseMainlandPhone,
} from '@reemploy/domain';
import { cursorTimestamp, pageOf, pageQuery } from '@reemploy/http-kit';

const idNumber = z
  .string()
  .max(32)
  .superRefine((value, ctx) => {
    const result = parseIdNumber(value);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.reason });
  })
  .describe('Resident identity number (GB 11643), 18 characters; a lower-case x is normalised to X')
  .meta({ example: '32050819850312123X' });

export const phone = z
  .string()
  .max(20)
  .superRefine((value, ctx) => {
    const result = parseMainlandPhone(value);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.reason });
  })
  .meta({ example: '13812345678' });

export const communityCode = z.string().regex(/^\d{12}$/, 'must be a 12-digit community code').meta({ example: '320508024043' });
export const skillCode = z.string().regex(/^S\d{3}-\d{2}$/, 'must be a skill code like S012-03');
export const occupationCode = z.string().regex(/^[1-8]-\d{2}-\d{2}$/, 'must be an occupation code like 4-03-01');
const isoDate = z.iso.date().describe('YYYY-MM-DD');
const retirementScheme = z
  .enum(RETIREMENT_SCHEMES)
  .describe('Statutory retirement scheme: male-60 (men), female-55 (women cadres) or female-50 (women workers), as reformed from 2025; must match the gender of the identity number');

const parentIds = z
  .array(z.uuid())
  .max(2)
  .refine((ids) => new Set(ids).size === ids.length, 'names a parent twice')
  .describe('The member ids of the person’s parents in the same household');
const ownMinorChildren = z.int().min(0).max(20).describe('The person’s own children under 18 living in the household who are not registered seekers');
const raisingAlone = z.boolean().describe('Single, divorced or widowed, raising their children without a spouse in the household');

/** The person's family within the household: optional, so that callers knowing nothing of it send nothing. */
const family = {
  spouseId: z.uuid().optional().describe('The member id of the spouse in the same household; stored on both spouses'),
  parentIds: parentIds.optional(),
  ownMinorChildren: ownMinorChildren.optional(),
  raisingAlone: raisingAlone.optional(),
};

/** Everything a caller may send about a person except the identity number (fixed once registered). */
const editable = {
  name: z.string().trim().min(1).max(50),
  phone: phone.optional(),
  communityCode,
  householdId: z.uuid().optional(),
  relationship: z.enum(RELATIONSHIPS).optional().describe('Relation to the head of the household; required with householdId'),
  ...family,
  education: z.enum(EDUCATION_LEVELS),
  skills: z.array(skillCode).max(50).default([]),
  desiredOccupations: z.array(occupationCode).max(20).default([]),
  expectedMonthlyWage: z.int().min(0).max(1_000_000).optional().describe('CNY per month'),
  ableToWork: z.boolean().default(true),
  willingToWork: z.boolean().default(true),
  laidOff: z.boolean().default(false).describe('Laid off (下岗) from a former employer'),
  minimumLivelihood: z.boolean().default(false).describe('Receives the minimum livelihood guarantee (低保)'),
  disabled: z.boolean().default(false),
  unemployedSince: isoDate.optional().describe('Defaults to the registration date'),
  retirementScheme: retirementScheme.optional().describe('Defaults to male-60 for a man and to the configured default (female-50 unless set otherwise) for a woman'),
};

export const createJobSeekerBody = z.strictObject({ idNumber, ...editable });
export type CreateJobSeekerInput = z.infer<typeof createJobSeekerBody>;

export const patchJobSeekerBody = z
  .strictObject({
    name: editable.name,
    phone: phone.nullable(),
    communityCode,
    householdId: z.uuid().nullable(),
    relationship: z.enum(RELATIONSHIPS).nullable(),
    spouseId: z.uuid().nullable(),
    parentIds,
    ownMinorChildren,
    raisingAlone,
    education: editable.education,
    skills: z.array(skillCode).max(50),
    desiredOccupations: z.array(occupationCode).max(20),
    expectedMonthlyWage: z.int().min(0).max(1_000_000).nullable(),
    ableToWork: z.boolean(),
    willingToWork: z.boolean(),
    laidOff: z.boolean(),
    minimumLivelihood: z.boolean(),
    disabled: z.boolean(),
    unemployedSince: isoDate.nullable(),
    retirementScheme,
  })
  .partial()
  .describe('The fields to change; status changes go through /employment');
export type PatchJobSeekerInput = z.infer<typeof patchJobSeekerBody>;

export const jobSeekerView = z
  .object({
    id: z.uuid(),
    idNumber: z.string().describe('Masked unless the caller holds pii:read'),
    name: z.string().describe('Masked unless the caller holds pii:read'),
    phone: z.string().nullable(),
    gender: z.enum(GENDERS),
    birthDate: z.iso.date().optional().describe('With pii:read only: the birth date is the part of the identity number its mask hides'),
    age: z.int().describe('Whole years today'),
    ageBand: z.enum(AGE_BANDS),
    retirementScheme,
    retirementDate: z.iso
      .date()
      .optional()
      .describe('The day the statutory retirement age is reached: working age and the 4050 group end the day before. With pii:read only (it gives away the birth date)'),
    communityCode: z.string(),
    householdId: z.uuid().nullable(),
    relationship: z.enum(RELATIONSHIPS).nullable(),
    spouseId: z.uuid().nullable(),
    parentIds: z.array(z.uuid()),
    ownMinorChildren: z.int(),
    raisingAlone: z.boolean(),
    education: z.enum(EDUCATION_LEVELS),
    skills: z.array(z.string()),
    desiredOccupations: z.array(z.string()),
    expectedMonthlyWage: z.int().nullable(),
    ableToWork: z.boolean(),
    willingToWork: z.boolean(),
    laidOff: z.boolean(),
    minimumLivelihood: z.boolean(),
    disabled: z.boolean(),
    unemployedSince: z.iso.date().nullable(),
    status: z.enum(SEEKER_STATUSES),
    statusSince: z.iso.datetime({ offset: true }).nullable(),
    employerName: z.string().nullable(),
    hardshipCategories: z.array(z.enum(HARDSHIP_CATEGORIES)),
    version: z.int(),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'JobSeeker' });
export type JobSeekerView = z.infer<typeof jobSeekerView>;

export const seekerIdParams = z.object({ id: z.uuid() });

export const regionFilter = z.string().regex(/^\d{2,12}$/, 'must be a division-code prefix').optional().describe('Division-code prefix, narrowed to your regions');

export const listJobSeekersQuery = pageQuery.extend({
  region: regionFilter,
  status: z.enum(SEEKER_STATUSES).optional(),
  category: z.enum(HARDSHIP_CATEGORIES).optional(),
  householdId: z.uuid().optional(),
});
export type ListJobSeekersQuery = z.infer<typeof listJobSeekersQuery>;
export const jobSeekerPage = pageOf(jobSeekerView).meta({ id: 'JobSeekerPage' });

export const pageCursor = z.object({ at: cursorTimestamp, id: z.uuid() });
