import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { etagOf } from '@reemploy/http-kit';
import type { RegistrationContext } from '../context.ts';
import { jobSeekerView, seekerIdParams } from '../job-seekers/schemas.ts';
import { toView } from '../job-seekers/view.ts';
import { employmentChangeBody, employmentHistory, employmentHistoryQuery } from './schemas.ts';
import { employmentHistoryOf, recordEmploymentChange, toChangeView } from './service.ts';

export async function employmentRoutes(app: FastifyInstance, { ctx }: { ctx: RegistrationContext }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/v1/job-seekers/:id/employment', {
    config: { scope: 'seekers:write', idempotent: true, piiAudit: { recordType: 'job-seeker' }, responseHeaders: ['Location', 'ETag'] },
    schema: {
      operationId: 'recordEmploymentChange',
      tags: ['job-seekers'],
      summary: 'Report an employment change (employed, flexible, unemployed, withdrawn); the household is re-derived',
      params: seekerIdParams,
      body: employmentChangeBody,
      response: { 201: jobSeekerView },
    },
    handler: async (request, reply) => {
      const { seeker, change } = await recordEmploymentChange(ctx, request.caller, request.params.id, request.body);
      reply.header('location', `/v1/job-seekers/${seeker.id}/employment#${change.id}`).header('etag', etagOf(seeker.id, seeker.version));
      return reply.code(201).send(toView(ctx.pii, request.caller, seeker));
    },
  });

  api.get('/v1/job-seekers/:id/employment', {
    config: { scope: 'seekers:read' },
    schema: {
      operationId: 'getEmploymentHistory',
      tags: ['job-seekers'],
      summary: "A job seeker's employment changes, oldest first",
      params: seekerIdParams,
      querystring: employmentHistoryQuery,
      response: { 200: employmentHistory },
    },
    handler: async (request) => {
      const { rows, nextCursor } = await employmentHistoryOf(ctx, request.caller, request.params.id, request.query);
      return { items: rows.map(toChangeView), nextCursor };
    },
  });
}
