import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { auditedRequest, checkIfMatch, etagOf } from '@reemploy/http-kit';
import type { RegistrationContext } from '../context.ts';
import { createJobSeekerBody, jobSeekerPage, jobSeekerView, listJobSeekersQuery, patchJobSeekerBody, seekerIdParams } from './schemas.ts';
import { getJobSeeker, listJobSeekers, registerJobSeeker, updateJobSeeker } from './service.ts';
import { toView } from './view.ts';

export async function jobSeekerRoutes(app: FastifyInstance, { ctx }: { ctx: RegistrationContext }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/v1/job-seekers', {
    config: { scope: 'seekers:write', idempotent: true, piiAudit: { recordType: 'job-seeker' }, responseHeaders: ['Location', 'ETag'] },
    schema: {
      operationId: 'registerJobSeeker',
      tags: ['job-seekers'],
      summary: 'Register an unemployed person',
      body: createJobSeekerBody,
      response: { 201: jobSeekerView },
    },
    handler: async (request, reply) => {
      const row = await registerJobSeeker(ctx, request.caller, request.body, auditedRequest(request));
      reply.header('location', `/v1/job-seekers/${row.id}`).header('etag', etagOf(row.id, row.version));
      return reply.code(201).send(toView(ctx.pii, request.caller, row));
    },
  });

  api.get('/v1/job-seekers', {
    config: { scope: 'seekers:read', piiAudit: { recordType: 'job-seeker' } },
    schema: {
      operationId: 'listJobSeekers',
      tags: ['job-seekers'],
      summary: 'List job seekers in your regions by region prefix, status and hardship category',
      querystring: listJobSeekersQuery,
      response: { 200: jobSeekerPage },
    },
    handler: async (request) => {
      const { rows, nextCursor } = await listJobSeekers(ctx, request.caller, request.query);
      const at = new Date();
      return { items: rows.map((row) => toView(ctx.pii, request.caller, row, at)), nextCursor };
    },
  });

  api.get('/v1/job-seekers/:id', {
    config: { scope: 'seekers:read', piiAudit: { recordType: 'job-seeker' }, responseHeaders: ['ETag'] },
    schema: {
      operationId: 'getJobSeeker',
      tags: ['job-seekers'],
      summary: 'Read a job seeker',
      params: seekerIdParams,
      response: { 200: jobSeekerView },
    },
    handler: async (request, reply) => {
      const row = await getJobSeeker(ctx, request.caller, request.params.id);
      reply.header('etag', etagOf(row.id, row.version));
      return toView(ctx.pii, request.caller, row);
    },
  });

  api.patch('/v1/job-seekers/:id', {
    config: { scope: 'seekers:write', piiAudit: { recordType: 'job-seeker' }, responseHeaders: ['ETag'] },
    schema: {
      operationId: 'updateJobSeeker',
      tags: ['job-seekers'],
      summary: 'Change a job seeker (If-Match required); the household is re-derived',
      params: seekerIdParams,
      body: patchJobSeekerBody,
      response: { 200: jobSeekerView },
    },
    handler: async (request, reply) => {
      const row = await updateJobSeeker(ctx, request.caller, request.params.id, request.body, (current) => checkIfMatch(request, etagOf(current.id, current.version)));
      reply.header('etag', etagOf(row.id, row.version));
      return toView(ctx.pii, request.caller, row);
    },
  });
}
