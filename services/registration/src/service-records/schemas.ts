import { z } from 'zod';
import { SERVICE_RECORD_KINDS } from '@reemploy/domain';
import { pageOf, pageQuery } from '@reemploy/http-kit';

export const createServiceRecordBody = z.strictObject({
  kind: z.enum(SERVICE_RECORD_KINDS).describe('A coordinator activity (visit, info-collection, network-entry, guidance) or one of the nine services'),
  at: z.iso.datetime({ offset: true }).describe('When it was delivered; not in the future nor before the person was born'),
  coordinatorId: z.string().trim().min(1).max(64).describe("The coordinator's identifier in the calling system"),
  note: z.string().trim().max(2000).optional(),
});
export type CreateServiceRecordInput = z.infer<typeof createServiceRecordBody>;

export const serviceRecordView = z
  .object({
    id: z.uuid(),
    seekerId: z.uuid(),
    communityCode: z.string(),
    kind: z.enum(SERVICE_RECORD_KINDS),
    at: z.iso.datetime({ offset: true }),
    coordinatorId: z.string(),
    note: z.string().nullable(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'ServiceRecord' });
export type ServiceRecordView = z.infer<typeof serviceRecordView>;

export const listServiceRecordsQuery = pageQuery.extend({ kind: z.enum(SERVICE_RECORD_KINDS).optional() });
export type ListServiceRecordsQuery = z.infer<typeof listServiceRecordsQuery>;
export const serviceRecordPage = pageOf(serviceRecordView).meta({ id: 'ServiceRecordPage' });
