import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RegistrationContext } from '../context.ts';
import { seekerIdParams } from '../job-seekers/schemas.ts';
import { createServiceRecordBody, listServiceRecordsQuery, serviceRecordPage, serviceRecordView } from './schemas.ts';
import { listServiceRecords, recordService, toRecordView } from './service.ts';

export async function serviceRecordRoutes(app: FastifyInstance, { ctx }: { ctx: RegistrationContext }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/v1/job-seekers/:id/service-records', {
    config: { scope: 'seekers:write', idempotent: true, responseHeaders: ['Location'] },
    schema: {
      operationId: 'recordService',
      tags: ['service-records'],
      summary: 'Record a visit, information collection, network entry, guidance or one of the nine services',
      params: seekerIdParams,
      body: createServiceRecordBody,
      response: { 201: serviceRecordView },
    },
    handler: async (request, reply) => {
      const row = await recordService(ctx, request.caller, request.params.id, request.body);
      reply.header('location', `/v1/job-seekers/${row.seeker_id}/service-records#${row.id}`);
      return reply.code(201).send(toRecordView(request.caller, row));
    },
  });

  api.get('/v1/job-seekers/:id/service-records', {
    config: { scope: 'seekers:read' },
    schema: {
      operationId: 'listServiceRecords',
      tags: ['service-records'],
      summary: "A job seeker's service records, oldest first",
      params: seekerIdParams,
      querystring: listServiceRecordsQuery,
      response: { 200: serviceRecordPage },
    },
    handler: async (request) => listServiceRecords(ctx, request.caller, request.params.id, request.query),
  });
}
