import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ServiceContext } from '@reemploy/runtime';
import type { MatchingEnv } from '../config.ts';
import type { MatchingDB } from '../database.ts';
import type { MatcherCache } from '../matcher/cache.ts';
import { candidatesView, idParams, limitQuery, matchesView } from './schemas.ts';
import { candidatesForVacancy, matchesForSeeker } from './service.ts';

export async function matchRoutes(app: FastifyInstance, ctx: ServiceContext<MatchingDB, MatchingEnv>, cache: MatcherCache) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/v1/job-seekers/:id/matches', {
    config: { scope: 'matching:read' },
    schema: {
      operationId: 'getSeekerMatches',
      tags: ['matches'],
      summary: 'Rank open vacancies for a job seeker, with the factors and reasons of each',
      params: idParams,
      querystring: limitQuery,
      response: { 200: matchesView },
    },
    handler: (request) => matchesForSeeker(ctx, cache, request.caller, request.params.id, request.query.limit),
  });

  r.get('/v1/vacancies/:id/candidates', {
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
