import { z } from 'zod';
import { COMMUNITY_TYPES, CRITERION_IDS } from '@reemploy/assessment';
import { pageOf, pageQuery } from '@reemploy/http-kit';
import { PERIOD_PATTERN } from './period.ts';

export const period = z.string().regex(PERIOD_PATTERN, 'must be YYYY-MM, a month of the years 2000 to 2100').describe('A month, YYYY-MM; assessments cover the year up to it').meta({ example: '2025-12' });
export const regionCode = z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, 'must be a division code of 2, 4, 6, 9 or 12 digits').meta({ example: '3205' });
export const communityCode = z.string().regex(/^\d{12}$/, 'must be a 12-digit community code').meta({ example: '320508024043' });
const criterionId = z.enum(CRITERION_IDS);

export const targets = z
  .strictObject(Object.fromEntries(CRITERION_IDS.map((id) => [id, z.number().min(0)])) as Record<(typeof CRITERION_IDS)[number], z.ZodNumber>)
  .describe('A target per criterion: a percentage (two decimals at most) or, for zero-employment-households, the most households that may remain')
  .meta({ id: 'AssessmentTargets' });

export const collectionRule = z
  .strictObject({
    yearlyRecollection: z
      .boolean()
      .describe(
        'Registration through the system is network entry and information collection. true: a person registered in an earlier year counts in a year only with an info-collection (network-entry) record made in it',
      ),
  })
  .meta({ id: 'AssessmentCollectionRule' });

export const standardVersion = z
  .object({
    communityType: z.enum(COMMUNITY_TYPES),
    version: z.number().int(),
    targets,
    collection: collectionRule,
    note: z.string().nullable(),
    changedBy: z.string(),
    changedAt: z.string(),
  })
  .meta({ id: 'AssessmentStandardVersion' });

export const standardsList = z
  .object({ items: z.array(z.object({ communityType: z.enum(COMMUNITY_TYPES), current: standardVersion, history: z.array(standardVersion) })) })
  .meta({ id: 'AssessmentStandards' });

export const changeStandardBody = z
  .strictObject({ targets, collection: collectionRule.optional().describe('Left out: the current version’s'), note: z.string().max(500).optional() })
  .meta({ id: 'ChangeAssessmentStandard' });
export const typeParams = z.strictObject({ type: z.enum(COMMUNITY_TYPES) });

export const criterionResult = z
  .object({
    id: criterionId,
    kind: z.enum(['min-percent', 'max-count']),
    label: z.string(),
    actual: z.number().nullable().describe('Percentage floored to two decimals, the count left for max-count, null with an empty denominator'),
    numerator: z.number().int(),
    denominator: z.number().int(),
    target: z.number(),
    passed: z.boolean(),
  })
  .meta({ id: 'CriterionResult' });

export const communityAssessment = z
  .object({
    communityCode: z.string(),
    name: z.string().nullable(),
    period: z.string(),
    communityType: z.string(),
    standard: z.object({ communityType: z.string(), version: z.number().int() }),
    applied: z.boolean(),
    passed: z.boolean(),
    criteria: z.array(criterionResult),
    firstAssessedAt: z.string(),
    assessedAt: z.string(),
  })
  .meta({ id: 'CommunityAssessment' });

export const communityParams = z.strictObject({ code: communityCode });
export const periodQuery = z.strictObject({ period });
export const summaryQuery = z.strictObject({ period, regionCode });

export const summaryRow = z.object({ regionCode: z.string(), name: z.string().nullable(), assessed: z.number().int(), passed: z.number().int(), passRate: z.number().nullable() });

export const regionAssessment = z
  .object({
    period: z.string(),
    regionCode: z.string(),
    name: z.string().nullable(),
    assessed: z.number().int(),
    passed: z.number().int(),
    passRate: z.number().nullable().describe('passed / assessed rounded half up to three decimals (100 of 138 → 0.725)'),
    failedCriteria: z.array(z.object({ id: criterionId, communities: z.number().int() })),
    rows: z.array(summaryRow),
    communities: z.array(communityAssessment),
  })
  .meta({ id: 'RegionAssessment' });

export const applicationBody = z
  .strictObject({ period, communityCodes: z.array(communityCode).min(1).max(1000).describe('The community itself, or its street applying for several') })
  .meta({ id: 'AssessmentApplicationRequest' });

export const applicationList = z
  .object({ items: z.array(z.object({ id: z.uuid(), communityCode: z.string(), period: z.string(), appliedBy: z.string(), createdAt: z.string() })) })
  .meta({ id: 'AssessmentApplications' });

const size = z.union([z.strictObject({ count: z.number().int().min(1).max(10000) }), z.strictObject({ fraction: z.number().gt(0).max(1) })]);

export const sampleBody = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('communities'),
      period,
      regionCode,
      seed: z.string().min(1).max(100),
      count: z.number().int().min(1).max(10000).optional(),
      fraction: z.number().gt(0).max(1).optional(),
    }),
    z.strictObject({
      kind: z.literal('phone-survey'),
      sampleId: z.uuid().describe('The community sample whose registered unemployed are surveyed'),
      seed: z.string().min(1).max(100),
      fraction: z
        .number()
        .gt(0)
        .max(1)
        .optional()
        .describe('Defaults to 0.01, the report’s about 1%; at most PHONE_SURVEY_MAX_FRACTION (0.05 by default), and never more than PHONE_SURVEY_MAX_CONTACTS people (500) are drawn'),
    }),
  ])
  .meta({ id: 'AssessmentSampleRequest' });

export const sampleView = z
  .object({
    id: z.uuid(),
    kind: z.enum(['communities', 'phone-survey']),
    period: z.string(),
    regionCode: z.string(),
    seed: z.string(),
    size,
    parentId: z.uuid().nullable(),
    population: z
      .number()
      .int()
      .optional()
      .describe(
        "Communities that applied (a community sample) or registered unemployed (a phone survey) in the sample's region. Absent unless that region lies inside the caller's regions (and the caller is not an assistance base's system): a district's or the city's sample counts outside them",
      ),
    strata: z
      .array(z.object({ stratum: z.string(), population: z.number().int(), drawn: z.number().int() }))
      .describe("The strata (districts, or communities of a phone survey) inside the caller's regions: a wider one counts outside them"),
    communities: z.array(z.string()).optional(),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .describe("A phone survey's people are read through GET /v1/assessments/samples/{id}/contacts")
  .meta({ id: 'AssessmentSample' });

export const sampleParams = z.strictObject({ id: z.uuid() });

export const surveyContact = z
  .object({
    seekerId: z.uuid(),
    communityCode: z.string(),
    name: z.string().describe('Masked unless the caller holds pii:read'),
    phone: z.string().nullable().describe('Masked unless the caller holds pii:read'),
  })
  .meta({ id: 'SurveyContact' });
export const surveyContactPage = pageOf(surveyContact).meta({ id: 'SurveyContactPage' });
export const contactsQuery = pageQuery.strict();
export const contactCursor = z.object({ community: z.string().regex(/^\d{12}$/), id: z.uuid() });
