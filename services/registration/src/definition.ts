import type { ServiceDefinition } from '@reemploy/runtime';
import { migrations } from '../migrations/index.ts';
import { parseRegistrationEnv, type RegistrationEnv } from './config.ts';
import type { RegistrationDB } from './database.ts';
import { jobSeekerRoutes } from './job-seekers/routes.ts';

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
  tags: [{ name: 'job-seekers', description: 'Registered unemployed people' }],
  async routes(app, ctx) {
    await jobSeekerRoutes(app, ctx);
  },
};
