import { purgeJob, startMaintenanceWorker, type ServiceDefinition } from '@reemploy/runtime';
import { migrations } from '../migrations/index.ts';
import { aidBaseImportRoutes } from './bases/import-routes.ts';
import { aidBaseRoutes } from './bases/routes.ts';
import { parseAssistanceBasesEnv, type AssistanceBasesEnv } from './config.ts';
import type { AssistanceBasesDB } from './database.ts';
import { eventHandlers } from './events/handlers.ts';
import { reservedPostRoutes } from './reserved-posts/routes.ts';

/** The assistance-bases service: the re-employment assistance bases, reserved posts, placements. */
export const assistanceBases: ServiceDefinition<AssistanceBasesDB, AssistanceBasesEnv> = {
  name: 'assistance-bases',
  title: 'reemploy assistance-bases',
  description: 'The re-employment assistance bases, the posts they reserve for hardship groups with quotas, and their placements.',
  version: '0.1.0',
  portVar: 'ASSISTANCE_BASES_PORT',
  parseEnv: parseAssistanceBasesEnv,
  migrations,
  publishesEvents: true,
  tags: [
    { name: 'aid-bases', description: 'Re-employment assistance bases (再就业援助基地) and their figures' },
    { name: 'reserved-posts', description: 'Posts a base keeps for hardship groups, with quotas' },
  ],
  async routes(app, ctx) {
    await aidBaseRoutes(app, ctx);
    await aidBaseImportRoutes(app, ctx);
    await reservedPostRoutes(app, ctx);
  },
  eventHandlers: () => eventHandlers(),
  // Its only maintenance is the purge every service runs.
  startWorkers: (ctx, workerRedis) => startMaintenanceWorker(ctx, workerRedis, [purgeJob(ctx)]),
};
