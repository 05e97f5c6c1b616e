import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { inRegions, problems } from '@reemploy/http-kit';
import type { ServiceContext } from '@reemploy/runtime';
import type { MatchingEnv } from '../config.ts';
import type { MatchingDB } from '../database.ts';

const matchesView = z
  .object({
    seekerId: z.uuid(),
    communityCode: z.string(),
    items: z.array(z.object({ vacancyId: z.uuid(), rank: z.int(), score: z.number() })),
  })
  .meta({ id: 'SeekerMatches' });

export async function matchRoutes(app: FastifyInstance, ctx: ServiceContext<MatchingDB, MatchingEnv>) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/v1/job-seekers/:id/matches', {
    config: { scope: 'matching:read' },
    schema: {
      operationId: 'getSeekerMatches',
      tags: ['matches'],
      summary: 'Rank open vacancies for a job seeker',
      params: z.object({ id: z.uuid() }),
      response: { 200: matchesView },
    },
    handler: async (request) => {
      const seeker = await ctx.db.selectFrom('seekers').select(['seeker_id', 'community_code']).where('seeker_id', '=', request.params.id).executeTakeFirst();
      if (!seeker || !inRegions(request.caller, seeker.community_code)) throw problems.notFound(`Job seeker ${request.params.id}`);
      return { seekerId: seeker.seeker_id, communityCode: seeker.community_code, items: [] };
    },
  });
}
