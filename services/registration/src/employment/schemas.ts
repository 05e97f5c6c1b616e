import { z } from 'zod';
import { SEEKER_STATUSES } from '@reemploy/domain';
import { pageOf, pageQuery } from '@reemploy/http-kit';

export const employmentChangeBody = z.strictObject({
  status: z.enum(SEEKER_STATUSES),
  at: z.iso.datetime({ offset: true }).describe('When the change took effect; not in the future nor before the person was born'),
  vacancyId: z.uuid().optional().describe('The vacancy filled, when known'),
  employerName: z.string().trim().min(1).max(100).optional(),
});
export type EmploymentChangeInput = z.infer<typeof employmentChangeBody>;

export const employmentChangeView = z
  .object({
    id: z.uuid(),
    seekerId: z.uuid(),
    status: z.enum(SEEKER_STATUSES),
    previousStatus: z.enum(SEEKER_STATUSES),
    at: z.iso.datetime({ offset: true }),
    vacancyId: z.uuid().nullable(),
    employerName: z.string().nullable(),
    referralId: z.uuid().nullable(),
    recordedBy: z.string(),
  })
  .meta({ id: 'EmploymentChange' });
export type EmploymentChangeView = z.infer<typeof employmentChangeView>;

export const employmentHistory = pageOf(employmentChangeView).meta({ id: 'EmploymentHistory' });

export const employmentHistoryQuery = pageQuery;
export type EmploymentHistoryQuery = z.infer<typeof employmentHistoryQuery>;
