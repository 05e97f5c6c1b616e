import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { checkIfMatch, etagOf, type AuditedRecord } from '@reemploy/http-kit';
import type { RegistrationContext } from '../context.ts';
import { createHouseholdBody, householdIdParams, householdPage, householdView, listHouseholdsQuery, patchHouseholdBody } from './schemas.ts';
import { createHousehold, getHousehold, listHouseholdsPage, toHouseholdView, updateHousehold } from './service.ts';

type HouseholdAnswer = { communityCode: string; members: { id: string }[] };

/** A household's answer shows its members' names: the audit names each member read, in the household's community (theirs too). */
const memberNamesAudit = {
  recordType: 'job-seeker',
  records: (payload: unknown): AuditedRecord[] => {
    const { items } = payload as { items?: HouseholdAnswer[] };
    return (items ?? [payload as HouseholdAnswer]).flatMap((h) => h.members.map((m) => ({ id: m.id, region: h.communityCode })));
  },
};

export async function householdRoutes(app: FastifyInstance, { ctx }: { ctx: RegistrationContext }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/v1/households', {
    config: { scope: 'seekers:write', idempotent: true, responseHeaders: ['Location', 'ETag'] },
    schema: {
      operationId: 'createHousehold',
      tags: ['households'],
      summary: 'Register a household; members join it through their job-seeker record',
      body: createHouseholdBody,
      response: { 201: householdView },
    },
    handler: async (request, reply) => {
      const row = await createHousehold(ctx, request.caller, request.body);
      reply.header('location', `/v1/households/${row.id}`).header('etag', etagOf(row.id, row.version));
      return reply.code(201).send(toHouseholdView(ctx, request.caller, row, []));
    },
  });

  api.get('/v1/households', {
    config: { scope: 'seekers:read', piiAudit: memberNamesAudit },
    schema: {
      operationId: 'listHouseholds',
      tags: ['households'],
      summary: 'List households in your regions by region prefix and hardship category',
      querystring: listHouseholdsQuery,
      response: { 200: householdPage },
    },
    handler: async (request) => {
      const { items, nextCursor } = await listHouseholdsPage(ctx, request.caller, request.query);
      return { items: items.map((h) => toHouseholdView(ctx, request.caller, h.row, h.members)), nextCursor };
    },
  });

  api.get('/v1/households/:id', {
    config: { scope: 'seekers:read', piiAudit: memberNamesAudit, responseHeaders: ['ETag'] },
    schema: {
      operationId: 'getHousehold',
      tags: ['households'],
      summary: 'Read a household with its members and derived categories',
      params: householdIdParams,
      response: { 200: householdView },
    },
    handler: async (request, reply) => {
      const { row, members } = await getHousehold(ctx, request.caller, request.params.id);
      reply.header('etag', etagOf(row.id, row.version));
      return toHouseholdView(ctx, request.caller, row, members);
    },
  });

  api.patch('/v1/households/:id', {
    config: { scope: 'seekers:write', piiAudit: memberNamesAudit, responseHeaders: ['ETag'] },
    schema: {
      operationId: 'updateHousehold',
      tags: ['households'],
      summary: 'Change a household (If-Match required); its categories are re-derived',
      params: householdIdParams,
      body: patchHouseholdBody,
      response: { 200: householdView },
    },
    handler: async (request, reply) => {
      const { row, members } = await updateHousehold(ctx, request.caller, request.params.id, request.body, (current) => checkIfMatch(request, etagOf(current.id, current.version)));
      reply.header('etag', etagOf(row.id, row.version));
      return toHouseholdView(ctx, request.caller, row, members);
    },
  });
}
