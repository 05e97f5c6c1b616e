import type { ServiceDefinition } from '@reemploy/runtime';
import { migrations } from '../migrations/index.ts';
import app from './app.ts';
import { parseMatchingEnv, type MatchingEnv } from './config.ts';
import type { MatchingDB } from './database.ts';
import { projectionHandlers } from './projection/handlers.ts';
import { startMatchingMaintenance, startMatchingWorkers } from './runs/jobs.ts';
import { RUN_QUEUE_NAMES } from './runs/queues.ts';

/** The matching service: its projection of seekers and vacancies, runs, recommendations, referrals. */
export const matching: ServiceDefinition<MatchingDB, MatchingEnv> = {
  name: 'matching',
  parseEnv: parseMatchingEnv,
  migrations,
  publishesEvents: true,
  app,
  eventHandlers: () => projectionHandlers(),
  startWorkers: async (ctx, workerRedis) => [...(await startMatchingWorkers(ctx, workerRedis)), ...(await startMatchingMaintenance(ctx, workerRedis))],
  queues: RUN_QUEUE_NAMES,
};
