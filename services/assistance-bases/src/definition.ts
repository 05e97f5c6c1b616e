import { purgeJob, startMaintenanceWorker, type ServiceDefinition } from '@reemploy/runtime';
import { migrations } from '../migrations/index.ts';
import app from './app.ts';
import { parseAssistanceBasesEnv, type AssistanceBasesEnv } from './config.ts';
import type { AssistanceBasesDB } from './database.ts';
import { eventHandlers } from './events/handlers.ts';

/** The assistance-bases service: the re-employment assistance bases, reserved posts, placements. */
export const assistanceBases: ServiceDefinition<AssistanceBasesDB, AssistanceBasesEnv> = {
  name: 'assistance-bases',
  parseEnv: parseAssistanceBasesEnv,
  migrations,
  publishesEvents: true,
  app,
  eventHandlers: () => eventHandlers(),
  // Its only maintenance is the purge every service runs.
  startWorkers: (ctx, workerRedis) => startMaintenanceWorker(ctx, workerRedis, [purgeJob(ctx)]),
};
