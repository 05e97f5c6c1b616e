import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { checkIfMatch, etagOf, recordPiiAccess } from '@reemploy/http-kit';
import type { JobPostingsContext } from '../context.ts';
import { idParams } from '../shared/schemas.ts';
import type { EmployerRow } from './repository.ts';
import { createEmployerBody, employerPage, employerView, listEmployersQuery, patchEmployerBody } from './schemas.ts';
import { changeEmployer, getEmployer, listEmployersFor, registerEmployer } from './service.ts';
import { revealsPii, toEmployerView } from './view.ts';

export async function employerRoutes(app: FastifyInstance, { ctx }: { ctx: JobPostingsContext }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  async function audit(request: FastifyRequest, rows: EmployerRow[]) {
    const revealed = rows.filter((row) => revealsPii(request.caller, row));
    await recordPiiAccess(ctx.db as never, request, 'employer', revealed.map((row) => ({ id: row.id, region: row.community_code })));
  }

  api.post('/v1/employers', {
    config: { scope: 'employers:write', idempotent: true, responseHeaders: ['Location', 'ETag'] },
    schema: {
      operationId: 'registerEmployer',
      tags: ['employers'],
      summary: 'Register an employer by its unified social credit code',
      body: createEmployerBody,
      response: { 201: employerView },
    },
    handler: async (request, reply) => {
      const row = await registerEmployer(ctx, request.caller, request.body);
      await audit(request, [row]);
      reply.header('location', `/v1/employers/${row.id}`).header('etag', etagOf(row.id, row.version));
      return reply.code(201).send(toEmployerView(ctx.pii, request.caller, row));
    },
  });

  api.get('/v1/employers', {
    config: { scope: 'employers:read' },
    schema: {
      operationId: 'listEmployers',
      tags: ['employers'],
      summary: 'List employers in your regions by region prefix, name or credit code',
      querystring: listEmployersQuery,
      response: { 200: employerPage },
    },
    handler: async (request) => {
      const { rows, nextCursor } = await listEmployersFor(ctx, request.caller, request.query);
      await audit(request, rows);
      return { items: rows.map((row) => toEmployerView(ctx.pii, request.caller, row)), nextCursor };
    },
  });

  api.get('/v1/employers/:id', {
    config: { scope: 'employers:read', responseHeaders: ['ETag'] },
    schema: { operationId: 'getEmployer', tags: ['employers'], summary: 'Read an employer', params: idParams, response: { 200: employerView } },
    handler: async (request, reply) => {
      const row = await getEmployer(ctx, request.caller, request.params.id);
      await audit(request, [row]);
      reply.header('etag', etagOf(row.id, row.version));
      return toEmployerView(ctx.pii, request.caller, row);
    },
  });

  api.patch('/v1/employers/:id', {
    config: { scope: 'employers:write', responseHeaders: ['ETag'] },
    schema: {
      operationId: 'updateEmployer',
      tags: ['employers'],
      summary: 'Change an employer (If-Match required)',
      params: idParams,
      body: patchEmployerBody,
      response: { 200: employerView },
    },
    handler: async (request, reply) => {
      const row = await changeEmployer(ctx, request.caller, request.params.id, request.body, (current) => checkIfMatch(request, etagOf(current.id, current.version)));
      await audit(request, [row]);
      reply.header('etag', etagOf(row.id, row.version));
      return toEmployerView(ctx.pii, request.caller, row);
    },
  });
}
