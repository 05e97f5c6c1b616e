import type { FastifyInstance } from 'fastify';
import { inRegions, problems } from '@reemploy/http-kit';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { MatchingContext } from '../context.ts';
import type { MatcherCache } from '../matcher/cache.ts';
import type { Ranker } from '../matcher/ranker.ts';
import { candidatesView, idParams, limitQuery, matchesView } from './schemas.ts';
import { candidatesForVacancy, matchesForSeeker, servedMetric } from './service.ts';

export async function matchRoutes(app: FastifyInstance, { ctx, cache, ranker }: { ctx: MatchingContext; cache: MatcherCache; ranker: Ranker }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/v1/job-seekers/:id/matches', {
    config: { scope: 'matching:read' },
    schema: {
      operationId: 'getSeekerMatches',
      tags: ['matches'],
      summary: 'Rank open vacancies for a job seeker, with the factors and reasons of each',
      params: idParams,
      querystring: limitQuery,
      response: { 200: matchesView },
    },
    // The ranking thread reads the seeker, ranks and writes the body (byte for byte what `matchesView`
    // writes, see matcher/thread.ts), so that this thread neither queries nor serializes: the route is
    // hot (coordinators' screens), and sending the answer through its schema here measured slower.
    // Without the thread, the same answer is made here and written by the schema.
    handler: async (request, reply) => {
      const { id, limit } = { id: request.params.id, limit: request.query.limit };
      const answer = await ranker.seekerMatches(id, limit).catch(() => undefined);
      if (!answer) return matchesForSeeker(ctx, ranker, cache, request.caller, id, limit);
      if (answer.body === undefined || answer.communityCode === undefined || !inRegions(request.caller, answer.communityCode)) throw problems.notFound(`Job seeker ${id}`);
      servedMetric(ctx).inc({ kind: 'on-demand' }, answer.served);
      return reply.header('content-type', 'application/json; charset=utf-8').send(answer.body as never);
    },
  });

  api.get('/v1/vacancies/:id/candidates', {
    config: { scope: 'matching:read' },
    schema: {
      operationId: 'getVacancyCandidates',
      tags: ['matches'],
      summary: "Rank the job seekers in the caller's regions for a vacancy",
      params: idParams,
      querystring: limitQuery,
      response: { 200: candidatesView },
    },
    handler: (request) => candidatesForVacancy(ctx, cache, request.caller, request.params.id, request.query.limit),
  });
}
