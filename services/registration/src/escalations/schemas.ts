import { z } from 'zod';
import { pageOf, pageQuery } from '@reemploy/http-kit';
import { regionFilter } from '../job-seekers/schemas.ts';

export const listEscalationsQuery = pageQuery.extend({ region: regionFilter });
export type ListEscalationsQuery = z.infer<typeof listEscalationsQuery>;

export const escalationView = z
  .object({
    householdId: z.uuid(),
    communityCode: z.string(),
    streetCode: z.string().describe('The street (or town) the escalation goes to'),
    streetName: z.string().nullable(),
    zeroEmploymentSince: z.iso.datetime({ offset: true }),
    offerDeadline: z.iso.datetime({ offset: true }),
    overdueHours: z.int(),
    members: z.int(),
  })
  .meta({ id: 'Escalation' });
export type EscalationView = z.infer<typeof escalationView>;
export const escalationPage = pageOf(escalationView).meta({ id: 'EscalationPage' });
