import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RegistrationContext } from '../context.ts';
import { regionCode } from '../assessment/schemas.ts';
import { annualReport } from './service.ts';

const district = z.object({
  regionCode: z.string(),
  name: z.string().nullable(),
  newJobs: z.number().int(),
  publicWelfarePosts: z.number().int(),
  reemployed: z.number().int(),
  registeredUnemployed: z.number().int(),
  registeredDuringYear: z.number().int(),
  assessed: z.number().int(),
  passed: z.number().int(),
  passRate: z.number().nullable(),
  notes: z.array(z.string()).describe('Figures this district led the region in'),
});

const annualView = z
  .object({
    year: z.number().int(),
    regionCode: z.string(),
    name: z.string().nullable(),
    newJobs: z.number().int().describe('Headcount of vacancies collected, public-welfare posts included'),
    publicWelfarePosts: z.number().int(),
    reemployed: z.number().int().describe('People who moved from unemployed to work during the year'),
    registeredUnemployed: z.number().int().describe('Registered unemployed at the year’s end'),
    registeredDuringYear: z.number().int(),
    communities: z.object({ assessed: z.number().int(), passed: z.number().int(), passRate: z.number().nullable() }),
    districts: z.array(district),
  })
  .meta({ id: 'AnnualReport' });

export async function reportRoutes(app: FastifyInstance, { ctx }: { ctx: RegistrationContext }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get('/v1/reports/annual', {
    config: { scope: 'assessment:read' },
    schema: {
      operationId: 'getAnnualReport',
      tags: ['reports'],
      summary: 'The year’s figures the city report opens with, from the data, with notes of which district led',
      querystring: z.strictObject({ year: z.coerce.number().int().min(2000).max(2100), regionCode }),
      response: { 200: annualView },
    },
    handler: async (request) => annualReport(ctx, request.caller, request.query.regionCode, request.query.year),
  });
}
