import { z } from 'zod';
import { GENDERS, HARDSHIP_CATEGORIES, RELATIONSHIPS, SEEKER_STATUSES } from '@reemploy/domain';
import { pageOf, pageQuery } from '@reemploy/http-kit';
import { communityCode, regionFilter } from '../job-seekers/schemas.ts';

const counts = z.int().min(0).max(20);

export const certificateNumber = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N}()（）〔〕[\]/-]+$/u, 'letters, digits, brackets, / and - only')
  .describe('The minimum-livelihood certificate number (低保证号): personal information, stored encrypted')
  .meta({ example: '苏民低保2024第001234号' });

const minimumLivelihood = z
  .strictObject({
    certificateNumber,
    since: z.iso.date().describe('The date the minimum livelihood was granted, YYYY-MM-DD'),
  })
  .nullable()
  .describe('The household’s minimum-livelihood certificate (低保户); every member then holds MINIMUM_LIVELIHOOD. null: none recorded');

export const createHouseholdBody = z.strictObject({
  communityCode,
  singleParent: z.boolean().default(false).describe("The head is a single parent (members in other generations say so on their own record: raisingAlone)"),
  minorChildren: counts.default(0).describe("The head's children under 18 living in the household"),
  otherEmployedMembers: counts.default(0).describe('Working members who are not registered job seekers'),
  minimumLivelihood: minimumLivelihood.default(null),
});
export type CreateHouseholdInput = z.infer<typeof createHouseholdBody>;

export const patchHouseholdBody = z
  .strictObject({ communityCode, singleParent: z.boolean(), minorChildren: counts, otherEmployedMembers: counts, minimumLivelihood })
  .partial()
  .describe('The fields to change; a new community moves the members with the household');
export type PatchHouseholdInput = z.infer<typeof patchHouseholdBody>;

export const householdMember = z.object({
  id: z.uuid(),
  name: z.string().describe('Masked unless the caller holds pii:read'),
  relationship: z.enum(RELATIONSHIPS).nullable(),
  spouseId: z.uuid().nullable(),
  parentIds: z.array(z.uuid()),
  gender: z.enum(GENDERS),
  age: z.int(),
  status: z.enum(SEEKER_STATUSES),
  hardshipCategories: z.array(z.enum(HARDSHIP_CATEGORIES)),
});

export const householdView = z
  .object({
    id: z.uuid(),
    communityCode: z.string(),
    singleParent: z.boolean(),
    minorChildren: z.int(),
    otherEmployedMembers: z.int(),
    minimumLivelihood: z
      .object({ certificateNumber: z.string().describe('Masked unless the caller holds pii:read'), since: z.iso.date() })
      .nullable(),
    members: z.array(householdMember),
    employedMembers: z.int().describe('Members employed or in flexible work, plus the other employed members'),
    hardshipCategories: z.array(z.enum(HARDSHIP_CATEGORIES)),
    hardshipBasis: z
      .array(z.object({ category: z.enum(HARDSHIP_CATEGORIES), memberIds: z.array(z.uuid()) }))
      .describe('The members each household category rests on: one entry per couple, per single parent, else one'),
    zeroEmployment: z
      .object({ since: z.iso.datetime({ offset: true }), offerDeadline: z.iso.datetime({ offset: true }), offeredAt: z.iso.datetime({ offset: true }).nullable() })
      .nullable()
      .describe('The offer clock of a zero-employment household'),
    version: z.int(),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'Household' });
export type HouseholdView = z.infer<typeof householdView>;

export const householdIdParams = z.object({ id: z.uuid() });

export const listHouseholdsQuery = pageQuery.extend({
  region: regionFilter,
  category: z.enum(HARDSHIP_CATEGORIES).optional(),
});
export type ListHouseholdsQuery = z.infer<typeof listHouseholdsQuery>;
export const householdPage = pageOf(householdView).meta({ id: 'HouseholdPage' });
