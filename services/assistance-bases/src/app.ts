import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { piiAuditRoutes, piiAuditTag } from '@reemploy/http-kit';
import { operatorTools, platform, pluginOptions } from '@reemploy/runtime';
import { webhookRoutes, webhooksTag } from '@reemploy/webhooks';
import { aidBaseImportRoutes } from './bases/import-routes.ts';
import { aidBaseRoutes } from './bases/routes.ts';
import type { AssistanceBasesContext } from './context.ts';
import { reservedPostRoutes } from './reserved-posts/routes.ts';

const document = {
  title: 'reemploy assistance-bases',
  description: 'The re-employment assistance bases, the posts they reserve for hardship groups with quotas, and their placements.',
  version: '0.1.0',
  tags: [
    { name: 'aid-bases', description: 'Re-employment assistance bases (再就业援助基地) and their figures' },
    { name: 'reserved-posts', description: 'Posts a base keeps for hardship groups, with quotas' },
    piiAuditTag,
    webhooksTag,
  ],
};

/** The assistance-bases service's HTTP app: every plugin it registers, in order. */
async function assistanceBasesApp(app: FastifyInstance, { ctx }: { ctx: AssistanceBasesContext }) {
  const options = pluginOptions(ctx, document);
  // The platform: packages/http-kit's plugins in the order their hooks run (runtime's platform).
  await app.register(platform, options);

  // For operators and integrators: the queue board, the PII audit, webhooks.
  await app.register(operatorTools, { ctx });
  await app.register(piiAuditRoutes, options.piiAudit);
  await app.register(webhookRoutes, options.webhooks);

  // Its modules, each an encapsulated plugin.
  await app.register(aidBaseRoutes, { ctx });
  await app.register(aidBaseImportRoutes, { ctx });
  await app.register(reservedPostRoutes, { ctx });
}

export default fp(assistanceBasesApp, { name: 'assistance-bases-app', fastify: '5.x' });
