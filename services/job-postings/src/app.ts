import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { piiAuditRoutes, piiAuditTag } from '@reemploy/http-kit';
import { operatorTools, platform, pluginOptions } from '@reemploy/runtime';
import { webhookRoutes, webhooksTag } from '@reemploy/webhooks';
import type { JobPostingsContext } from './context.ts';
import { employerRoutes } from './employers/routes.ts';
import { jobFairRoutes } from './job-fairs/routes.ts';
import { taxonomyRoutes } from './taxonomy/routes.ts';
import { vacancyImportRoutes } from './vacancies/import-routes.ts';
import { vacancyRoutes } from './vacancies/routes.ts';

const document = {
  title: 'reemploy job-postings',
  description: 'Employers, vacancies collected from every source with duplicates caught, job fairs, and the occupation and skill taxonomy.',
  version: '0.1.0',
  tags: [
    { name: 'employers', description: 'Employers, identified by their unified social credit code' },
    { name: 'vacancies', description: 'Vacancies from coordinators, employers, aid bases and job fairs, duplicates caught' },
    { name: 'job-fairs', description: 'Job fairs (招聘会) and the vacancies shown there' },
    { name: 'taxonomy', description: 'The occupation and skill taxonomy (GB/T 6565 major groups)' },
    piiAuditTag,
    webhooksTag,
  ],
};

/** The job-postings service's HTTP app: every plugin it registers, in order. */
async function jobPostingsApp(app: FastifyInstance, { ctx }: { ctx: JobPostingsContext }) {
  const options = pluginOptions(ctx, document);
  // The platform: packages/http-kit's plugins in the order their hooks run (runtime's platform).
  await app.register(platform, options);

  // For operators and integrators: the queue board, the PII audit, webhooks.
  await app.register(operatorTools, { ctx });
  await app.register(piiAuditRoutes, options.piiAudit);
  await app.register(webhookRoutes, options.webhooks);

  // Its modules, each an encapsulated plugin.
  await app.register(taxonomyRoutes);
  await app.register(employerRoutes, { ctx });
  await app.register(vacancyRoutes, { ctx });
  await app.register(vacancyImportRoutes, { ctx });
  await app.register(jobFairRoutes, { ctx });
}

export default fp(jobPostingsApp, { name: 'job-postings-app', fastify: '5.x' });
