import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { checkIfMatch, etagOf, pageOf } from '@reemploy/http-kit';
import type { AssistanceBasesContext } from '../context.ts';
import { getBase } from '../bases/service.ts';
import { baseParams, createReservedPostBody, postParams, reservedPostListQuery, reservedPostView, updateReservedPostBody, withdrawReservedPostBody } from './schemas.ts';
import { changePost, getPost, listBasePosts, reservePost, toView, vacancyOf, withdrawPost } from './service.ts';

export async function reservedPostRoutes(app: FastifyInstance, { ctx }: { ctx: AssistanceBasesContext }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['reserved-posts'];
  const location = (baseId: string, postId: string) => `/v1/aid-bases/${baseId}/reserved-posts/${postId}`;

  api.post('/v1/aid-bases/:id/reserved-posts', {
    config: { scope: 'aid-bases:write', idempotent: true, responseHeaders: ['Location', 'ETag'] },
    schema: {
      operationId: 'reservePost',
      tags,
      summary: 'Reserve an open vacancy for hardship groups, with a quota',
      params: baseParams,
      body: createReservedPostBody,
      response: { 201: reservedPostView },
    },
    handler: async (request, reply) => {
      const base = await getBase(ctx, request.caller, request.params.id);
      const { row, vacancy } = await reservePost(ctx, request.caller, base, request.body);
      reply.header('location', location(base.id, row.id)).header('etag', etagOf(row.id, row.version));
      return reply.code(201).send(toView(row, vacancy));
    },
  });

  api.get('/v1/aid-bases/:id/reserved-posts', {
    config: { scope: 'aid-bases:read' },
    schema: {
      operationId: 'listReservedPosts',
      tags,
      summary: "A base's reserved posts, newest first",
      params: baseParams,
      querystring: reservedPostListQuery,
      response: { 200: pageOf(reservedPostView) },
    },
    handler: async (request) => {
      const base = await getBase(ctx, request.caller, request.params.id);
      return listBasePosts(ctx, base, request.query);
    },
  });

  api.get('/v1/aid-bases/:id/reserved-posts/:postId', {
    config: { scope: 'aid-bases:read', responseHeaders: ['ETag'] },
    schema: { operationId: 'getReservedPost', tags, summary: 'Read a reserved post', params: postParams, response: { 200: reservedPostView } },
    handler: async (request, reply) => {
      const base = await getBase(ctx, request.caller, request.params.id);
      const row = await getPost(ctx, base, request.params.postId);
      reply.header('etag', etagOf(row.id, row.version));
      return toView(row, await vacancyOf(ctx, row));
    },
  });

  api.patch('/v1/aid-bases/:id/reserved-posts/:postId', {
    config: { scope: 'aid-bases:write', responseHeaders: ['ETag'] },
    schema: {
      operationId: 'updateReservedPost',
      tags,
      summary: 'Change the categories or quota of a reserved post (If-Match required)',
      params: postParams,
      body: updateReservedPostBody,
      response: { 200: reservedPostView },
    },
    handler: async (request, reply) => {
      const base = await getBase(ctx, request.caller, request.params.id);
      const row = await getPost(ctx, base, request.params.postId);
      checkIfMatch(request, etagOf(row.id, row.version));
      const updated = await changePost(ctx, row, request.body);
      reply.header('etag', etagOf(updated.id, updated.version));
      return toView(updated, await vacancyOf(ctx, updated));
    },
  });

  api.post('/v1/aid-bases/:id/reserved-posts/:postId/withdraw', {
    config: { scope: 'aid-bases:write', ifMatch: 'required', responseHeaders: ['ETag'] },
    schema: {
      operationId: 'withdrawReservedPost',
      tags,
      summary: 'Withdraw a reserved post; the vacancy is open to everyone again (If-Match required)',
      params: postParams,
      body: withdrawReservedPostBody,
      response: { 200: reservedPostView },
    },
    handler: async (request, reply) => {
      const base = await getBase(ctx, request.caller, request.params.id);
      const row = await getPost(ctx, base, request.params.postId);
      checkIfMatch(request, etagOf(row.id, row.version));
      const updated = await withdrawPost(ctx, row, request.body?.reason);
      reply.header('etag', etagOf(updated.id, updated.version));
      return toView(updated, await vacancyOf(ctx, updated));
    },
  });
}
