import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, etagOf, pageFrom, pageOf, pageQuery, visiblePrefixes } from '@reemploy/http-kit';
import type { MatchingContext } from '../context.ts';
import { listReferrals } from './repository.ts';
import { createReferralBody, outcomeBody, REFERRAL_STATUSES, referralView } from './schemas.ts';
import { createReferral, getReferral, recordOutcome, toView } from './service.ts';

const idParams = z.object({ id: z.uuid() });
const listQuery = pageQuery.extend({
  seekerId: z.uuid().optional(),
  vacancyId: z.uuid().optional(),
  status: z.enum(REFERRAL_STATUSES).optional(),
});
const cursorShape = z.tuple([z.iso.datetime({ offset: true }), z.uuid()]);

export async function referralRoutes(app: FastifyInstance, { ctx }: { ctx: MatchingContext }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/v1/referrals', {
    config: { scope: 'referrals:write', idempotent: true, responseHeaders: ['Location', 'ETag'] },
    schema: {
      operationId: 'createReferral',
      tags: ['referrals'],
      summary: 'Refer a job seeker to an open vacancy (推荐)',
      body: createReferralBody,
      response: { 201: referralView },
    },
    handler: async (request, reply) => {
      const row = await createReferral(ctx, request.caller, request.body);
      reply.header('location', `/v1/referrals/${row.id}`).header('etag', etagOf(row.id, row.version));
      return reply.code(201).send(await toView(ctx, request.caller, row));
    },
  });

  api.get('/v1/referrals/:id', {
    config: { scope: 'matching:read', responseHeaders: ['ETag'] },
    schema: { operationId: 'getReferral', tags: ['referrals'], summary: 'Read a referral', params: idParams, response: { 200: referralView } },
    handler: async (request, reply) => {
      const row = await getReferral(ctx, request.caller, request.params.id);
      reply.header('etag', etagOf(row.id, row.version));
      return toView(ctx, request.caller, row);
    },
  });

  api.get('/v1/referrals', {
    config: { scope: 'matching:read' },
    schema: {
      operationId: 'listReferrals',
      tags: ['referrals'],
      summary: "Referrals of seekers in the caller's regions, newest first",
      querystring: listQuery,
      response: { 200: pageOf(referralView) },
    },
    handler: async (request) => {
      const q = request.query;
      const after = decodeCursor(q.cursor, cursorShape);
      const prefixes = visiblePrefixes(request.caller);
      if (!prefixes.length) return { items: [], nextCursor: null };
      const rows = await listReferrals(ctx.db, { ...q, prefixes, after: after && [new Date(after[0]), after[1]] });
      const { items, nextCursor } = pageFrom(rows, q.limit, (last) => [last.created_at.toISOString(), last.id]);
      return { items: await Promise.all(items.map((row) => toView(ctx, request.caller, row))), nextCursor };
    },
  });

  api.post('/v1/referrals/:id/outcome', {
    config: { scope: 'referrals:write', idempotent: true, responseHeaders: ['ETag'] },
    schema: {
      operationId: 'recordReferralOutcome',
      tags: ['referrals'],
      summary: 'Record what became of a referral: hired, rejected, no-show, declined or withdrawn',
      params: idParams,
      body: outcomeBody,
      response: { 200: referralView },
    },
    handler: async (request, reply) => {
      const row = await recordOutcome(ctx, request.caller, request.params.id, request.body);
      reply.header('etag', etagOf(row.id, row.version));
      return toView(ctx, request.caller, row);
    },
  });
}
