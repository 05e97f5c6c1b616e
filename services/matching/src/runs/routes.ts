import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, pageFrom, pageOf, pageQuery } from '@reemploy/http-kit';
import type { MatchingContext } from '../context.ts';
import type { RunQueues } from './queues.ts';
import { listRuns } from './repository.ts';
import { createRunBody, runView, toRunView } from './schemas.ts';
import { createRun, getRun } from './service.ts';

const cursorShape = z.tuple([z.iso.datetime({ offset: true }), z.uuid()]);
const listQuery = pageQuery.extend({ status: z.enum(['queued', 'running', 'completed', 'failed']).optional() });

export async function runRoutes(app: FastifyInstance, { ctx, queues }: { ctx: MatchingContext; queues: RunQueues }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/v1/matching-runs', {
    config: { scope: 'matching:run', idempotent: true, responseHeaders: ['Location'] },
    schema: {
      operationId: 'startMatchingRun',
      tags: ['matching-runs'],
      summary: 'Start a capacity-aware matching run over a region (answers at once; poll the run)',
      body: createRunBody,
      response: { 202: runView },
    },
    handler: async (request, reply) => {
      const row = await createRun(ctx, queues, request.caller, request.body.regionCode);
      reply.header('location', `/v1/matching-runs/${row.id}`);
      return reply.code(202).send(toRunView(row, request.caller));
    },
  });

  api.get('/v1/matching-runs/:id', {
    config: { scope: 'matching:read' },
    schema: {
      operationId: 'getMatchingRun',
      tags: ['matching-runs'],
      summary: 'Status, progress, counts and timings of a run (the figures only of a run inside the caller’s regions)',
      params: z.object({ id: z.uuid() }),
      response: { 200: runView },
    },
    handler: async (request) => toRunView(await getRun(ctx, request.caller, request.params.id), request.caller),
  });

  api.get('/v1/matching-runs', {
    config: { scope: 'matching:read' },
    schema: {
      operationId: 'listMatchingRuns',
      tags: ['matching-runs'],
      summary: "Runs overlapping the caller's regions, newest first (the figures only of runs inside them)",
      querystring: listQuery,
      response: { 200: pageOf(runView) },
    },
    handler: async (request) => {
      const { limit, cursor, status } = request.query;
      const after = decodeCursor(cursor, cursorShape);
      const regions = request.caller.regions;
      if (!regions.length) return { items: [], nextCursor: null };
      const rows = await listRuns(ctx.db, { regions, status, after: after && [new Date(after[0]), after[1]], limit });
      const { items, nextCursor } = pageFrom(rows, limit, (last) => [last.created_at.toISOString(), last.id]);
      return { items: items.map((row) => toRunView(row, request.caller)), nextCursor };
    },
  });
}
