import type { FastifyInstance } from 'fastify';
import type { RegistrationContext } from '../context.ts';
import { dashboardRoutes } from '../dashboard/routes.ts';
import { ledgerRoutes } from '../ledgers/routes.ts';
import { reportRoutes } from '../reports/routes.ts';
import { assessmentRoutes } from './routes.ts';
import { sampleRoutes } from './sample-routes.ts';

export { assessmentEventHandlers, mergeHandlers } from './events.ts';

/** The assessment side of registration: standards, assessments, samples, ledgers, reports, dashboard. */
export async function assessmentModule(app: FastifyInstance, ctx: RegistrationContext) {
  await assessmentRoutes(app, ctx);
  await sampleRoutes(app, ctx);
  await ledgerRoutes(app, ctx);
  await reportRoutes(app, ctx);
  await dashboardRoutes(app, ctx);
}
