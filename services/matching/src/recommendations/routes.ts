import type { MatchingContext } from '../context.ts';
import { servedMetric } from '../matches/service.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, pageFrom, pageQuery, visiblePrefixes } from '@reemploy/http-kit';
import type { MatcherCache } from '../matcher/cache.ts';
import { factorsView, reasonView } from '../matches/schemas.ts';
import { explainLists } from './explain.ts';
import { latestCompletedRunCovering, listRecommendations } from './repository.ts';

const query = pageQuery.extend({
  communityCode: z.string().regex(/^\d{2,12}$/).describe('A community code, or a street/district prefix'),
});

const seekerList = z
  .object({
    seekerId: z.uuid(),
    communityCode: z.string(),
    priorityTier: z.int().describe('0 zero-employment households, 1 dual households and single parents, 2 other hardship, 3 everyone else'),
    active: z.boolean().describe('Still registered unemployed, able and willing to work; false once hired since the run (no item is then available)'),
    items: z.array(
      z.object({
        vacancyId: z.uuid(),
        rank: z.int().describe("The rank in the run's list"),
        score: z.number().min(0).max(1).describe('The score the run ranked it by'),
        available: z.boolean().describe('Open to the seeker now: open with a place left, within its age and education limits, and not reserved for other groups'),
        factors: factorsView.nullable().describe('As of now; null when not available'),
        reasons: z.array(reasonView),
      }),
    ),
  })
  .meta({ id: 'SeekerRecommendations' });

const recommendationsPage = z
  .object({
    runId: z.uuid().nullable().describe('The latest completed run covering the area; null when there is none'),
    runFinishedAt: z.string().nullable(),
    items: z.array(seekerList),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'RecommendationsPage' });

export async function recommendationRoutes(app: FastifyInstance, { ctx, cache }: { ctx: MatchingContext; cache: MatcherCache }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/v1/recommendations', {
    config: { scope: 'matching:read' },
    schema: {
      operationId: 'listRecommendations',
      tags: ['matching-runs'],
      summary: "Each seeker's list from the latest completed run, for coordinators of an area",
      querystring: query,
      response: { 200: recommendationsPage },
    },
    handler: async (request) => {
      const { communityCode, limit, cursor } = request.query;
      const after = decodeCursor(cursor, z.uuid());
      const prefixes = visiblePrefixes(request.caller, communityCode);
      // An area outside the caller's regions: not even which run covers it.
      if (!prefixes.length) return { runId: null, runFinishedAt: null, items: [], nextCursor: null };
      const run = await latestCompletedRunCovering(ctx.db, communityCode);
      if (!run) return { runId: null, runFinishedAt: null, items: [], nextCursor: null };
      const rows = await listRecommendations(ctx.db, { runId: run.id, prefixes, after, limit });
      const page = pageFrom(rows, limit, (last) => last.seeker_id);
      const items = await explainLists(ctx, cache, page.items);
      servedMetric(ctx).inc({ kind: 'recommendations' }, items.reduce((n, list) => n + list.items.length, 0));
      return { runId: run.id, runFinishedAt: run.finished_at?.toISOString() ?? null, items, nextCursor: page.nextCursor };
    },
  });
}
