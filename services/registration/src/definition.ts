import type { ServiceDefinition } from '@reemploy/runtime';
import { migrations } from '../migrations/index.ts';
import app from './app.ts';
import { assessmentEventHandlers, mergeHandlers } from './assessment/events.ts';
import { parseRegistrationEnv, type RegistrationEnv } from './config.ts';
import type { RegistrationDB } from './database.ts';
import { registrationEventHandlers } from './events.ts';
import { importRegions } from './regions/service.ts';
import { startMaintenance } from './maintenance/workers.ts';

/** The registration service: regions, households, job seekers, services, assessments. */
export const registration: ServiceDefinition<RegistrationDB, RegistrationEnv> = {
  name: 'registration',
  parseEnv: parseRegistrationEnv,
  migrations,
  publishesEvents: true,
  encryptedColumns: [
    { table: 'job_seekers', key: 'id', columns: ['id_number_enc', 'name_enc', 'phone_enc'], hashes: [{ hash: 'id_number_hash', of: 'id_number_enc' }] },
    { table: 'households', key: 'id', columns: ['minimum_livelihood_certificate_enc'] },
  ],
  // Reference data before any route or worker runs: every community code the
  // service accepts is checked against it. Not in the app: the import reads
  // the whole division package, too slow for Fastify's plugin timeout on a busy machine.
  async prepare(ctx) {
    await importRegions(ctx);
  },
  app,
  eventHandlers: (ctx) => mergeHandlers(registrationEventHandlers(ctx), assessmentEventHandlers()),
  startWorkers: (ctx, workerRedis) => startMaintenance(ctx, workerRedis),
};
