import { z } from 'zod';
import { HARDSHIP_CATEGORIES } from '@reemploy/domain';
import { pageOf, pageQuery } from '@reemploy/http-kit';
import { communityCode, regionFilter, text, timestamp } from '../shared/schemas.ts';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM');
/** A calendar day; Postgres has no year 0000 (ISO's 1 BC), so it is refused here, not by Postgres with a 500. */
const day = z.iso.date().refine((d) => !d.startsWith('0000'), 'must be a day from the year 0001 on');

export const createJobFairBody = z.strictObject({
  name: text(100).meta({ example: '姑苏区4050人员专场招聘会' }),
  date: day.describe('Day of the fair (YYYY-MM-DD, Shanghai time); today or later'),
  startsAt: clock.optional(),
  endsAt: clock.optional(),
  venue: text(200),
  communityCode: communityCode.describe('Community hosting the fair'),
  targetGroups: z
    .array(z.enum(HARDSHIP_CATEGORIES))
    .max(HARDSHIP_CATEGORIES.length)
    .refine((c) => new Set(c).size === c.length, 'groups must not repeat')
    .default([])
    .describe('Hardship groups the fair is aimed at (e.g. OLDER_4050, ZERO_EMPLOYMENT_HOUSEHOLD); empty: everyone'),
  organiser: text(100).optional(),
  description: text(2000).optional(),
});
export type CreateJobFairInput = z.infer<typeof createJobFairBody>;

export const jobFairView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    date: z.iso.date(),
    startsAt: z.string().nullable(),
    endsAt: z.string().nullable(),
    venue: z.string(),
    communityCode: z.string(),
    targetGroups: z.array(z.enum(HARDSHIP_CATEGORIES)),
    organiser: z.string().nullable(),
    description: z.string().nullable(),
    vacancies: z.int().describe('Vacancies attached'),
    version: z.int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'JobFair' });
export type JobFairView = z.infer<typeof jobFairView>;

export const listJobFairsQuery = pageQuery.extend({
  region: regionFilter,
  from: day.optional().describe('First day (default: today, Shanghai time): the upcoming fairs'),
  to: day.optional().describe('Last day'),
  targetGroup: z.enum(HARDSHIP_CATEGORIES).optional().describe('Fairs aimed at this group'),
});
export type ListJobFairsQuery = z.infer<typeof listJobFairsQuery>;
export const jobFairPage = pageOf(jobFairView).meta({ id: 'JobFairPage' });
export const jobFairCursor = z.object({ date: day, id: z.uuid() });

export const attachVacanciesBody = z.strictObject({
  vacancyIds: z
    .array(z.uuid())
    .min(1)
    .max(200)
    .refine((ids) => new Set(ids).size === ids.length, 'vacancy ids must not repeat'),
});
export const attachResult = z
  .object({ jobFairId: z.uuid(), attached: z.array(z.uuid()).describe('Newly attached'), alreadyAttached: z.array(z.uuid()) })
  .meta({ id: 'JobFairAttachment' });
