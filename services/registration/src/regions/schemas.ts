import { z } from 'zod';
import { COMMUNITY_TYPES } from '@reemploy/domain';
import { pageOf, pageQuery } from '@reemploy/http-kit';
import { REGION_LEVELS } from './community-type.ts';

export const regionCodeParams = z.object({ code: z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, 'must be a division code of 2, 4, 6, 9 or 12 digits') });

const regionFields = {
  code: z.string(),
  name: z.string().describe('Official name (simplified Chinese, as published)'),
  level: z.enum(REGION_LEVELS),
  parentCode: z.string().nullable(),
  kind: z
    .string()
    .describe('district (from its name): urban-district, county-city, county or zone; street (from its code): street, town, township or zone; community (from its code): residents or village'),
  communityType: z.enum(COMMUNITY_TYPES).nullable().describe('Assessment type of a community: the override if set, else the derived default'),
  derivedCommunityType: z.enum(COMMUNITY_TYPES).nullable(),
  communityTypeOverridden: z.boolean(),
};

export const regionSummary = z.object(regionFields).meta({ id: 'RegionSummary' });
export const regionView = z.object({ ...regionFields, version: z.int(), children: z.array(regionSummary) }).meta({ id: 'Region' });
export type RegionSummary = z.infer<typeof regionSummary>;
export type RegionView = z.infer<typeof regionView>;

export const regionSearchQuery = z.object({
  q: z.string().trim().min(1).max(40).describe('Part of a name, in simplified or traditional characters (a traditional query is also tried converted)'),
  level: z.enum(REGION_LEVELS).optional(),
  within: z.string().regex(/^\d{2,12}$/).optional().describe('Only under this division-code prefix'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: pageQuery.shape.cursor,
});
export type RegionSearchQuery = z.infer<typeof regionSearchQuery>;

/** Where a page of a name search ended: the search's own order, shortest names first, then by code. */
export const regionSearchCursor = z.object({ nameLength: z.int().min(0).max(1000), code: z.string().regex(/^\d{2,12}$/) });

export const regionSearchResult = pageOf(regionSummary).meta({ id: 'RegionSearchResult' });

export const patchRegionBody = z.strictObject({
  communityType: z.enum(COMMUNITY_TYPES).nullable().describe('null returns to the derived default'),
});
