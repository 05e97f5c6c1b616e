import { z } from 'zod';
import { parseCreditCode } from '@reemploy/domain/credit-code';
import { parseMainlandPhone } from '@reemploy/domain';
import { cursorTimestamp, pageOf, pageQuery } from '@reemploy/http-kit';
import { communityCode, regionFilter, text, timestamp } from '../shared/schemas.ts';

export const creditCode = z
  .string()
  .max(40)
  .superRefine((value, ctx) => {
    const result = parseCreditCode(value);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.reason });
  })
  .describe('Unified social credit code (GB 32100), 18 characters; lower case is normalised to upper case')
  .meta({ example: '91320508MA1XXXXXXX' });

const phone = z
  .string()
  .max(20)
  .superRefine((value, ctx) => {
    const result = parseMainlandPhone(value);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.reason });
  })
  .meta({ example: '051265001234' });

export const createEmployerBody = z.strictObject({
  name: text(100).describe('Registered name of the employer'),
  creditCode,
  communityCode: communityCode.describe('Community where the employer is registered or located'),
  address: text(200).optional(),
  contactName: text(50).optional().describe('Contact person (personal information: stored encrypted)'),
  contactPhone: phone.optional().describe('Contact phone (personal information: stored encrypted)'),
});
export type CreateEmployerInput = z.infer<typeof createEmployerBody>;

export const patchEmployerBody = z
  .strictObject({
    name: createEmployerBody.shape.name,
    communityCode: createEmployerBody.shape.communityCode,
    address: text(200).nullable(),
    contactName: text(50).nullable(),
    contactPhone: phone.nullable(),
  })
  .partial()
  .describe('The fields to change; the credit code is fixed once registered');
export type PatchEmployerInput = z.infer<typeof patchEmployerBody>;

export const employerView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    creditCode: z.string(),
    communityCode: z.string(),
    address: z.string().nullable(),
    contactName: z.string().nullable().describe('Masked unless the caller holds pii:read'),
    contactPhone: z.string().nullable().describe('Masked unless the caller holds pii:read'),
    version: z.int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Employer' });
export type EmployerView = z.infer<typeof employerView>;

export const listEmployersQuery = pageQuery.extend({
  region: regionFilter,
  q: z.string().trim().min(1).max(100).optional().describe('Part of the name'),
  creditCode: z.string().max(40).optional().describe('Exact credit code'),
});
export type ListEmployersQuery = z.infer<typeof listEmployersQuery>;
export const employerPage = pageOf(employerView).meta({ id: 'EmployerPage' });

export const employerCursor = z.object({ at: cursorTimestamp, id: z.uuid() });
