import { z } from 'zod';
import { HARDSHIP_CATEGORIES } from '@reemploy/domain';
import { pageQuery } from '@reemploy/http-kit';

export const AID_BASE_COHORTS = ['existing', 'added', 'later'] as const;
export type AidBaseCohort = (typeof AID_BASE_COHORTS)[number];

export const communityCode = z.string().regex(/^\d{12}$/, 'must be a 12-digit community code').meta({ example: '320508018036' });
const cohort = z
  .enum(AID_BASE_COHORTS)
  .describe('existing: one of the 13 bases before the 2005 drive; added: one of the 16 it added; later: registered since');
const joinedYear = z.int().min(1990).max(2100).describe('The year the site became an assistance base').meta({ example: 2005 });
const sectors = z
  .array(z.string().trim().min(1).max(40))
  .max(20)
  .transform((list) => [...new Set(list)])
  .describe('Trades the base offers posts in, e.g. 零售, 餐饮, 保洁');
const name = z.string().trim().min(1).max(100).meta({ example: '人民商场' });
const address = z.string().trim().min(1).max(200);

// SPEC §7 names name, communityCode, address and sectors: a base registered now joined this year and is a later one.
export const createAidBaseBody = z.strictObject({
  name,
  communityCode,
  address,
  sectors: sectors.default([]),
  joinedYear: joinedYear.optional().describe('The year the site became an assistance base; defaults to the current year (Asia/Shanghai)'),
  cohort: cohort.default('later'),
});
export type CreateAidBaseInput = z.infer<typeof createAidBaseBody>;

export const updateAidBaseBody = z
  .strictObject({ name, communityCode, address, sectors, joinedYear, cohort })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'send at least one field to change');
export type UpdateAidBaseInput = z.infer<typeof updateAidBaseBody>;

const countsByCategory = z
  .partialRecord(z.enum(HARDSHIP_CATEGORIES), z.int())
  .describe('Placements per hardship category; a person in two categories counts in both');

export const aidBaseFigures = {
  reservedPosts: z
    .object({
      active: z.int().describe('Posts still taking placements'),
      filled: z.int().describe('Posts whose quota is used up'),
      withdrawn: z.int(),
      quota: z.int().describe('Sum of the quotas of active and filled posts'),
      placed: z.int().describe('Placements made against those quotas'),
    })
    .describe('The posts this base reserves for hardship groups'),
  placements: z
    .object({
      total: z.int().describe('People placed through this base'),
      byCategory: countsByCategory,
      byMonth: z.record(z.string(), z.int()).describe('People placed per month (YYYY-MM, Asia/Shanghai)'),
    })
    .describe('Hires into this base’s reserved posts'),
};

export const aidBaseView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    communityCode: z.string(),
    address: z.string(),
    sectors: z.array(z.string()),
    joinedYear: z.int(),
    cohort: z.enum(AID_BASE_COHORTS),
    ...aidBaseFigures,
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'AidBase' });
export type AidBaseView = z.infer<typeof aidBaseView>;

export const aidBaseListQuery = pageQuery.extend({
  regionCode: z.string().regex(/^\d{2,12}$/).optional().describe('Only bases whose community code starts with this prefix'),
  cohort: z.enum(AID_BASE_COHORTS).optional(),
  sort: z.enum(['name', 'placements']).default('name').describe('name, or placements: the bases that placed most people first'),
});

export const aidBaseIdParams = z.object({ id: z.uuid() });
