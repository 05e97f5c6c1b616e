import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { decodeCursor, encodeCursor, pageOf, pageQuery } from '@reemploy/http-kit';
import type { MatchingContext } from '../context.ts';
import type { RunQueues } from './queues.ts';
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
      let q = ctx.db
        .selectFrom('matching_runs')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb('region_code', 'is', null),
            ...regions.flatMap((p) => [eb('region_code', 'like', `${p}%`), eb(eb.val(p), 'like', sql<string>`region_code || '%'`)]),
          ]),
        )
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1);
      if (status) q = q.where('status', '=', status);
      if (after) q = q.where((eb) => eb.or([eb('created_at', '<', new Date(after[0])), eb.and([eb('created_at', '=', new Date(after[0])), eb('id', '<', after[1])])]));
      const rows = await q.execute();
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { items: page.map((row) => toRunView(row, request.caller)), nextCursor: rows.length > limit && last ? encodeCursor([last.created_at.toISOString(), last.id]) : null };
    },
  });
}
