import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { piiAuditRoutes, piiAuditTag } from '@reemploy/http-kit';
import { operatorTools, platform, pluginOptions, sessionLimits } from '@reemploy/runtime';
import { webhookRoutes, webhooksTag } from '@reemploy/webhooks';
import type { MatchingContext } from './context.ts';
import { MatcherCache } from './matcher/cache.ts';
import { engineConfig } from './matcher/inputs.ts';
import { Ranker } from './matcher/ranker.ts';
import { matchRoutes } from './matches/routes.ts';
import { matchingMetrics } from './metrics.ts';
import { recommendationRoutes } from './recommendations/routes.ts';
import { referralRoutes } from './referrals/routes.ts';
import { openRunQueues, RUN_QUEUE_NAMES } from './runs/queues.ts';
import { runRoutes } from './runs/routes.ts';

const document = {
  title: 'reemploy matching',
  description: 'Ranks vacancies for job seekers with explanations, runs the nightly capacity-aware batch, and records referrals and their outcomes.',
  version: '0.1.0',
  tags: [
    { name: 'matches', description: 'On-demand rankings with explanations' },
    { name: 'matching-runs', description: 'The capacity-aware batch and its recommendations' },
    { name: 'referrals', description: 'Referrals (推荐) and their outcomes' },
    piiAuditTag,
    webhooksTag,
  ],
};

/** The matching service's HTTP app: every plugin it registers, in order. */
async function matchingApp(app: FastifyInstance, { ctx }: { ctx: MatchingContext }) {
  const options = pluginOptions(ctx, document);
  // The platform: packages/http-kit's plugins in the order their hooks run (runtime's platform).
  await app.register(platform, options);

  // For operators and integrators: the queue board with the run queues, the PII audit, webhooks.
  await app.register(operatorTools, { ctx, queues: RUN_QUEUE_NAMES });
  await app.register(piiAuditRoutes, options.piiAudit);
  await app.register(webhookRoutes, options.webhooks);

  // Present from the first scrape, so dashboards and alerts see zeros rather than gaps.
  matchingMetrics(app.metrics.registry);
  // Shared by the modules: the candidate cache, the ranking thread and the run queues, closed with the app.
  const cache = new MatcherCache(ctx.database.pool, engineConfig(ctx.env), ctx.env.MATCHER_REFRESH_MS);
  const ranker = new Ranker({ url: ctx.env.DATABASE_URL, schema: ctx.database.schema, config: engineConfig(ctx.env), refreshMs: ctx.env.MATCHER_REFRESH_MS, limits: sessionLimits(ctx.env) });
  const queues = openRunQueues(ctx);
  app.addHook('onClose', () => Promise.all([queues.close(), ranker.close()]));
  // A listening server warms its ranking thread at start; an app only injected into (tests) starts it on first use.
  app.addHook('onListen', async () => ranker.warm());

  // Its modules, each an encapsulated plugin.
  await app.register(matchRoutes, { ctx, cache, ranker });
  await app.register(runRoutes, { ctx, queues });
  await app.register(recommendationRoutes, { ctx, cache });
  await app.register(referralRoutes, { ctx });
}

export default fp(matchingApp, { name: 'matching-app', fastify: '5.x' });
