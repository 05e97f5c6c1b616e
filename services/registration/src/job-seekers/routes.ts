import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { etagOf } from '@reemploy/http-kit';
import type { ServiceContext } from '@reemploy/runtime';
import type { RegistrationEnv } from '../config.ts';
import type { RegistrationDB } from '../database.ts';
import { createJobSeekerBody, jobSeekerView, seekerIdParams } from './schemas.ts';
import { getJobSeeker, registerJobSeeker, toView } from './service.ts';

export async function jobSeekerRoutes(app: FastifyInstance, ctx: ServiceContext<RegistrationDB, RegistrationEnv>) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/v1/job-seekers', {
    config: { scope: 'seekers:write', idempotent: true },
    schema: {
      operationId: 'registerJobSeeker',
      tags: ['job-seekers'],
      summary: 'Register an unemployed person',
      body: createJobSeekerBody,
      response: { 201: jobSeekerView },
    },
    handler: async (request, reply) => {
      const row = await registerJobSeeker(ctx, request.caller, request.body);
      reply.header('location', `/v1/job-seekers/${row.id}`).header('etag', etagOf(row.id, row.version));
      return reply.code(201).send(toView(ctx, request.caller, row));
    },
  });

  r.get('/v1/job-seekers/:id', {
    config: { scope: 'seekers:read' },
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
      return toView(ctx, request.caller, row);
    },
  });
}
