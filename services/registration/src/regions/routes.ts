import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { checkIfMatch, etagOf } from '@reemploy/http-kit';
import type { RegistrationContext } from '../context.ts';
import { patchRegionBody, regionCodeParams, regionSearchQuery, regionSearchResult, regionView } from './schemas.ts';
import { findRegions, getRegion, overrideCommunityType } from './service.ts';

export async function regionRoutes(app: FastifyInstance, { ctx }: { ctx: RegistrationContext }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/v1/regions', {
    config: { scope: 'seekers:read' },
    schema: {
      operationId: 'searchRegions',
      tags: ['regions'],
      summary: 'Find divisions by name, in simplified or traditional characters',
      querystring: regionSearchQuery,
      response: { 200: regionSearchResult },
    },
    handler: async (request) => findRegions(ctx, request.query),
  });

  api.get('/v1/regions/:code', {
    config: { scope: 'seekers:read', responseHeaders: ['ETag'] },
    schema: {
      operationId: 'getRegion',
      tags: ['regions'],
      summary: 'Read a division and its children',
      params: regionCodeParams,
      response: { 200: regionView },
    },
    handler: async (request, reply) => {
      const view = await getRegion(ctx, request.params.code);
      reply.header('etag', etagOf(view.code, view.version));
      return view;
    },
  });

  api.patch('/v1/regions/:code', {
    config: { scope: 'regions:write', responseHeaders: ['ETag'] },
    schema: {
      operationId: 'overrideCommunityType',
      tags: ['regions'],
      summary: "Override a community's assessment type (null restores the derived one)",
      params: regionCodeParams,
      body: patchRegionBody,
      response: { 200: regionView },
    },
    handler: async (request, reply) => {
      const { code } = request.params;
      await overrideCommunityType(ctx, request.caller, code, request.body.communityType, (row) => checkIfMatch(request, etagOf(row.code, row.version)));
      const view = await getRegion(ctx, code);
      reply.header('etag', etagOf(view.code, view.version));
      return view;
    },
  });
}
