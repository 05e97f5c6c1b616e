import { sessionLimits, type ServiceDefinition } from '@reemploy/runtime';
import { migrations } from '../migrations/index.ts';
import { parseMatchingEnv, type MatchingEnv } from './config.ts';
import type { MatchingDB } from './database.ts';
import { MatcherCache } from './matcher/cache.ts';
import { Ranker } from './matcher/ranker.ts';
import { engineConfig } from './matcher/inputs.ts';
import { matchRoutes } from './matches/routes.ts';
import { projectionHandlers } from './projection/handlers.ts';
import { recommendationRoutes } from './recommendations/routes.ts';
import { referralRoutes } from './referrals/routes.ts';
import { startMatchingMaintenance, startMatchingWorkers } from './runs/jobs.ts';
import { openRunQueues } from './runs/queues.ts';
import { runRoutes } from './runs/routes.ts';

/** The matching service: its projection of seekers and vacancies, runs, recommendations, referrals. */
export const matching: ServiceDefinition<MatchingDB, MatchingEnv> = {
  name: 'matching',
  title: 'reemploy matching',
  description: 'Ranks vacancies for job seekers with explanations, runs the nightly capacity-aware batch, and records referrals and their outcomes.',
  version: '0.1.0',
  portVar: 'MATCHING_PORT',
  parseEnv: parseMatchingEnv,
  migrations,
  publishesEvents: true,
  tags: [
    { name: 'matches', description: 'On-demand rankings with explanations' },
    { name: 'matching-runs', description: 'The capacity-aware batch and its recommendations' },
    { name: 'referrals', description: 'Referrals (推荐) and their outcomes' },
  ],
  async routes(app, ctx) {
    const cache = new MatcherCache(ctx.database.pool, engineConfig(ctx.env), ctx.env.MATCHER_REFRESH_MS);
    const ranker = new Ranker({ url: ctx.env.DATABASE_URL, schema: ctx.database.schema, config: engineConfig(ctx.env), refreshMs: ctx.env.MATCHER_REFRESH_MS, limits: sessionLimits(ctx.env) });
    const queues = openRunQueues(ctx);
    app.addHook('onClose', () => Promise.all([queues.close(), ranker.close()]));
    // A listening server warms its ranking thread at start; an app only injected into (tests) starts it on first use.
    app.addHook('onListen', async () => ranker.warm());
    await matchRoutes(app, ctx, cache, ranker);
    await runRoutes(app, ctx, queues);
    await recommendationRoutes(app, ctx, cache);
    await referralRoutes(app, ctx);
  },
  eventHandlers: () => projectionHandlers(),
  startWorkers: async (ctx, workerRedis) => [...(await startMatchingWorkers(ctx, workerRedis)), ...(await startMatchingMaintenance(ctx, workerRedis))],
};
