import { z } from 'zod';
import { AGE_BANDS, EDUCATION_LEVELS, GENDERS, HARDSHIP_CATEGORIES, RELATIONSHIPS, SEEKER_STATUSES, parseIdNumber, parseMainlandPhone } from '@reemploy/domain';

const idNumber = z
  .string()
  .max(32)
  .superRefine((value, ctx) => {
    const result = parseIdNumber(value);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.reason });
  })
  .describe('Resident identity number (GB 11643), 18 characters; a lower-case x is normalised to X')
  .meta({ example: '32050819850312123X' });

const phone = z
  .string()
  .max(20)
  .superRefine((value, ctx) => {
    const result = parseMainlandPhone(value);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.reason });
  })
  .meta({ example: '13812345678' });

export const communityCode = z.string().regex(/^\d{12}$/, 'must be a 12-digit community code').meta({ example: '320508024043' });

export const createJobSeekerBody = z.strictObject({
  idNumber,
  name: z.string().trim().min(1).max(50),
  phone: phone.optional(),
  communityCode,
  householdId: z.uuid().optional(),
  relationship: z.enum(RELATIONSHIPS).optional(),
  education: z.enum(EDUCATION_LEVELS),
  skills: z.array(z.string().max(32)).max(50).default([]),
  desiredOccupations: z.array(z.string().max(32)).max(20).default([]),
  expectedMonthlyWage: z.int().min(0).max(1_000_000).optional(),
  ableToWork: z.boolean().default(true),
  willingToWork: z.boolean().default(true),
});
export type CreateJobSeekerInput = z.infer<typeof createJobSeekerBody>;

export const jobSeekerView = z
  .object({
    id: z.uuid(),
    idNumber: z.string().describe('Masked unless the caller holds pii:read'),
    name: z.string().describe('Masked unless the caller holds pii:read'),
    phone: z.string().nullable(),
    gender: z.enum(GENDERS),
    birthDate: z.iso.date(),
    age: z.int(),
    ageBand: z.enum(AGE_BANDS),
    communityCode: z.string(),
    education: z.enum(EDUCATION_LEVELS),
    skills: z.array(z.string()),
    desiredOccupations: z.array(z.string()),
    expectedMonthlyWage: z.int().nullable(),
    ableToWork: z.boolean(),
    willingToWork: z.boolean(),
    status: z.enum(SEEKER_STATUSES),
    hardshipCategories: z.array(z.enum(HARDSHIP_CATEGORIES)),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'JobSeeker' });
export type JobSeekerView = z.infer<typeof jobSeekerView>;

export const seekerIdParams = z.object({ id: z.uuid() });
