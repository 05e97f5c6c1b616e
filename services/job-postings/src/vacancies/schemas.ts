import { z } from 'zod';
import { EDUCATION_LEVELS, HARDSHIP_CATEGORIES, VACANCY_KINDS, VACANCY_SOURCES, VACANCY_STATUSES } from '@reemploy/domain';
import { cursorTimestamp, pageOf, pageQuery } from '@reemploy/http-kit';
import { occupationCodeSchema, skillCodesSchema } from '@reemploy/taxonomy';
import { communityCode, instant, regionFilter, text, timestamp } from '../shared/schemas.ts';

export const MIN_WORKING_AGE = 16;
export const MAX_WORKING_AGE = 65;

const age = z.int().min(MIN_WORKING_AGE).max(MAX_WORKING_AGE);
const wage = z.int().min(0).max(1_000_000).describe('CNY per month');
const categories = z
  .array(z.enum(HARDSHIP_CATEGORIES))
  .max(HARDSHIP_CATEGORIES.length)
  .refine((c) => new Set(c).size === c.length, 'categories must not repeat');

/** What a caller sends to create a vacancy; cross-field rules are in rules.ts. */
export const createVacancyBody = z.strictObject({
  employerId: z.uuid(),
  title: text(100).describe('Job title as advertised'),
  occupationCode: occupationCodeSchema,
  skills: skillCodesSchema.default([]).describe('Required skills (taxonomy codes)'),
  minAge: age.default(MIN_WORKING_AGE),
  maxAge: age.default(MAX_WORKING_AGE),
  educationMin: z.enum(EDUCATION_LEVELS).default('none'),
  wageMin: wage,
  wageMax: wage,
  headcount: z.int().min(1).max(10_000),
  communityCode: communityCode.describe('Community where the work is done'),
  kind: z.enum(VACANCY_KINDS).describe('public-welfare posts must name reservedFor'),
  source: z.enum(VACANCY_SOURCES),
  reservedFor: categories.default([]).describe('Hardship categories the post is reserved for'),
  description: text(2000).optional(),
  validUntil: instant.describe('When the vacancy expires; must be in the future'),
});
export type CreateVacancyInput = z.infer<typeof createVacancyBody>;

export const patchVacancyBody = z
  .strictObject({
    title: createVacancyBody.shape.title,
    occupationCode: occupationCodeSchema,
    skills: skillCodesSchema,
    minAge: age,
    maxAge: age,
    educationMin: z.enum(EDUCATION_LEVELS),
    wageMin: wage,
    wageMax: wage,
    headcount: createVacancyBody.shape.headcount,
    communityCode,
    kind: z.enum(VACANCY_KINDS),
    reservedFor: categories,
    description: text(2000).nullable(),
    validUntil: instant,
  })
  .partial()
  .describe('The fields to change of an open vacancy; any PATCH, even an empty one, confirms it is still current');
export type PatchVacancyInput = z.infer<typeof patchVacancyBody>;

export const closeVacancyBody = z.strictObject({ reason: text(200).describe('Why the vacancy is withdrawn') });
export const mergeVacancyBody = z.strictObject({ duplicateId: z.uuid().describe('The vacancy folded into this one and closed') });

export const nearDuplicate = z.object({
  id: z.uuid(),
  title: z.string(),
  communityCode: z.string(),
  similarity: z.number().describe('Trigram similarity of the normalised titles (0–1); a title containing the other counts too'),
});

export const aidBaseReservation = z
  .object({
    reservedPostId: z.uuid(),
    aidBaseId: z.uuid().describe('The re-employment assistance base (再就业援助基地) holding the post'),
    reservedFor: z
      .array(z.enum(HARDSHIP_CATEGORIES))
      .describe("Hardship categories the base keeps places for; while the post is active with quota left they count as the vacancy's reserved categories (reservedFor filter, matching)"),
    quota: z.int().describe('Places kept for these categories'),
    filled: z.int().describe('Placements counted against the quota'),
    status: z.enum(['active', 'filled']).describe('filled: the quota is used up, the rest of the headcount is open to everyone'),
  })
  .meta({ id: 'AidBaseReservation' });

export const vacancyView = z
  .object({
    id: z.uuid(),
    employerId: z.uuid(),
    employerName: z.string(),
    title: z.string(),
    occupationCode: z.string(),
    occupationName: z.string().nullable(),
    skills: z.array(z.string()),
    minAge: z.int(),
    maxAge: z.int(),
    educationMin: z.enum(EDUCATION_LEVELS),
    wageMin: z.int(),
    wageMax: z.int(),
    headcount: z.int(),
    headcountLeft: z.int(),
    communityCode: z.string(),
    kind: z.enum(VACANCY_KINDS),
    source: z.enum(VACANCY_SOURCES),
    sources: z.array(z.enum(VACANCY_SOURCES)).describe('Every source the post was collected from (a merge adds the other one)'),
    reservedFor: z.array(z.enum(HARDSHIP_CATEGORIES)).describe("Hardship categories the vacancy itself is reserved for, as published; an aid base's reservation is in aidBaseReservation"),
    aidBaseReservation: aidBaseReservation
      .nullable()
      .describe('The post an assistance base keeps in this vacancy (active or filled, from its reserved-post.changed events); null when none or withdrawn'),
    description: z.string().nullable(),
    validUntil: timestamp,
    status: z.enum(VACANCY_STATUSES),
    statusReason: z.string().nullable(),
    closedAt: timestamp.nullable(),
    mergedInto: z.uuid().nullable(),
    mergedFrom: z.array(z.uuid()),
    refreshedAt: timestamp,
    nearDuplicates: z.array(nearDuplicate).optional().describe('Open vacancies of the same employer and occupation with a similar title (single reads only)'),
    version: z.int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Vacancy' });
export type VacancyView = z.infer<typeof vacancyView>;

export const listVacanciesQuery = pageQuery.extend({
  region: regionFilter,
  occupation: z
    .string()
    .regex(/^[1-8](-\d{2}(-\d{2})?)?$/, 'must be an occupation code (4-03-01), a group (4-03) or a major group (4)')
    .optional()
    .describe('An occupation, or every occupation of a group or major group'),
  kind: z.enum(VACANCY_KINDS).optional(),
  source: z.enum(VACANCY_SOURCES).optional(),
  status: z.enum(VACANCY_STATUSES).optional(),
  reservedFor: z
    .enum(HARDSHIP_CATEGORIES)
    .optional()
    .describe("Vacancies reserved for this hardship category: by their own reservedFor, or by an aid base's active post with quota left that names it (as matching reads them)"),
  employerId: z.uuid().optional(),
  jobFairId: z.uuid().optional().describe('Vacancies shown at this job fair'),
  q: z.string().trim().min(1).max(100).optional().describe('Free text on the title (substring or trigram similarity)'),
});
export type ListVacanciesQuery = z.infer<typeof listVacanciesQuery>;
export const vacancyPage = pageOf(vacancyView).meta({ id: 'VacancyPage' });

export const vacancyCursor = z.object({ at: cursorTimestamp, id: z.uuid() });
