import { z } from 'zod';
import { HARDSHIP_CATEGORIES, VACANCY_STATUSES } from '@reemploy/domain';
import { pageQuery } from '@reemploy/http-kit';

export const RESERVED_POST_STATUSES = ['active', 'filled', 'withdrawn'] as const;
export type ReservedPostStatus = (typeof RESERVED_POST_STATUSES)[number];

const reservedFor = z
  .array(z.enum(HARDSHIP_CATEGORIES))
  .min(1, 'name at least one hardship category')
  .max(HARDSHIP_CATEGORIES.length)
  .transform((list) => [...new Set(list)])
  .describe('The hardship categories this post is kept for');
const quota = z.int().min(1).max(10_000).describe("Placements kept for these groups; at most the vacancy's remaining headcount");

export const createReservedPostBody = z.strictObject({ vacancyId: z.uuid(), reservedFor, quota });
export type CreateReservedPostInput = z.infer<typeof createReservedPostBody>;

export const updateReservedPostBody = z
  .strictObject({ reservedFor, quota })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'send reservedFor or quota');
export type UpdateReservedPostInput = z.infer<typeof updateReservedPostBody>;

// A withdrawal may come with no body at all (Fastify hands such a request null).
export const withdrawReservedPostBody = z.strictObject({ reason: z.string().trim().min(1).max(200).optional() }).nullish();

export const reservedPostView = z
  .object({
    id: z.uuid(),
    aidBaseId: z.uuid(),
    vacancyId: z.uuid(),
    reservedFor: z.array(z.enum(HARDSHIP_CATEGORIES)),
    quota: z.int(),
    filled: z.int().describe('Placements counted against the quota'),
    remaining: z.int(),
    status: z.enum(RESERVED_POST_STATUSES),
    withdrawnReason: z.string().nullable(),
    vacancy: z
      .object({
        title: z.string(),
        occupationCode: z.string(),
        communityCode: z.string(),
        headcount: z.int(),
        headcountLeft: z.int(),
        status: z.enum(VACANCY_STATUSES),
        validUntil: z.iso.datetime({ offset: true }),
      })
      .nullable()
      .describe('The vacancy as last announced by job-postings'),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'ReservedPost' });
export type ReservedPostView = z.infer<typeof reservedPostView>;

export const reservedPostListQuery = pageQuery.extend({ status: z.enum(RESERVED_POST_STATUSES).optional() });
export const baseParams = z.object({ id: z.uuid() });
export const postParams = z.object({ id: z.uuid(), postId: z.uuid() });
