import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkIfMatch, etagOf, pageOf } from '@reemploy/http-kit';
import type { AssistanceBasesContext } from '../context.ts';
import { listBasePosts } from '../reserved-posts/service.ts';
import { reservedPostView } from '../reserved-posts/schemas.ts';
import { aidBaseIdParams, aidBaseListQuery, aidBaseView, createAidBaseBody, updateAidBaseBody } from './schemas.ts';
import { changeBase, getBase, listVisibleBases, registerBase, viewOf } from './service.ts';

const aidBaseDetailView = aidBaseView
  .extend({ posts: z.array(reservedPostView).describe('Its active and filled reserved posts, newest first (at most 100; page through /reserved-posts for all)') })
  .meta({ id: 'AidBaseDetail' });

export async function aidBaseRoutes(app: FastifyInstance, { ctx }: { ctx: AssistanceBasesContext }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/v1/aid-bases', {
    config: { scope: 'aid-bases:write', idempotent: true, responseHeaders: ['Location', 'ETag'] },
    schema: {
      operationId: 'registerAidBase',
      tags: ['aid-bases'],
      summary: 'Register a re-employment assistance base',
      body: createAidBaseBody,
      response: { 201: aidBaseView },
    },
    handler: async (request, reply) => {
      const row = await registerBase(ctx, request.caller, request.body);
      reply.header('location', `/v1/aid-bases/${row.id}`).header('etag', etagOf(row.id, row.version));
      return reply.code(201).send(await viewOf(ctx, row));
    },
  });

  api.get('/v1/aid-bases', {
    config: { scope: 'aid-bases:read' },
    schema: {
      operationId: 'listAidBases',
      tags: ['aid-bases'],
      summary: 'List the bases the caller may see, with their posts and placements',
      querystring: aidBaseListQuery,
      response: { 200: pageOf(aidBaseView) },
    },
    handler: async (request) => listVisibleBases(ctx, request.caller, request.query),
  });

  api.get('/v1/aid-bases/:id', {
    config: { scope: 'aid-bases:read', responseHeaders: ['ETag'] },
    schema: {
      operationId: 'getAidBase',
      tags: ['aid-bases'],
      summary: 'Read a base with its reserved posts and placements by category and month',
      params: aidBaseIdParams,
      response: { 200: aidBaseDetailView },
    },
    handler: async (request, reply) => {
      const row = await getBase(ctx, request.caller, request.params.id);
      const [view, active, filled] = await Promise.all([
        viewOf(ctx, row),
        listBasePosts(ctx, row, { limit: 100, status: 'active' }),
        listBasePosts(ctx, row, { limit: 100, status: 'filled' }),
      ]);
      reply.header('etag', etagOf(row.id, row.version));
      const posts = [...active.items, ...filled.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 100);
      return { ...view, posts };
    },
  });

  api.patch('/v1/aid-bases/:id', {
    config: { scope: 'aid-bases:write', responseHeaders: ['ETag'] },
    schema: {
      operationId: 'updateAidBase',
      tags: ['aid-bases'],
      summary: 'Change a base (If-Match required)',
      params: aidBaseIdParams,
      body: updateAidBaseBody,
      response: { 200: aidBaseView },
    },
    handler: async (request, reply) => {
      const row = await getBase(ctx, request.caller, request.params.id);
      checkIfMatch(request, etagOf(row.id, row.version));
      const updated = await changeBase(ctx, request.caller, row, request.body);
      reply.header('etag', etagOf(updated.id, updated.version));
      return viewOf(ctx, updated);
    },
  });
}
