import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RegistrationContext } from '../context.ts';
import { escalationPage, listEscalationsQuery } from './schemas.ts';
import { listEscalations } from './service.ts';

export async function escalationRoutes(app: FastifyInstance, { ctx }: { ctx: RegistrationContext }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get('/v1/escalations', {
    config: { scope: 'seekers:read' },
    schema: {
      operationId: 'listEscalations',
      tags: ['households'],
      summary: 'Zero-employment households past their offer deadline, most overdue first, for coordinators',
      querystring: listEscalationsQuery,
      response: { 200: escalationPage },
    },
    handler: async (request) => listEscalations(ctx, request.caller, request.query),
  });
}
