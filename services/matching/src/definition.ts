import type { ServiceDefinition } from '@reemploy/runtime';
import { migrations } from '../migrations/index.ts';
import { parseMatchingEnv, type MatchingEnv } from './config.ts';
import type { MatchingDB } from './database.ts';
import { matchRoutes } from './matches/routes.ts';
import { projectionHandlers } from './projection/handlers.ts';

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
  tags: [{ name: 'matches', description: 'On-demand rankings with explanations' }],
  async routes(app, ctx) {
    await matchRoutes(app, ctx);
  },
  eventHandlers: () => projectionHandlers(),
};
