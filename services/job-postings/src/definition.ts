import type { ServiceDefinition } from '@reemploy/runtime';
import { migrations } from '../migrations/index.ts';
import app from './app.ts';
import { parseJobPostingsEnv, type JobPostingsEnv } from './config.ts';
import type { JobPostingsDB } from './database.ts';
import { startMaintenance } from './maintenance/jobs.ts';
import { upsertReservedPost } from './reserved-posts/repository.ts';
import { applyHire } from './vacancies/hires.ts';

/** The job-postings service: employers, vacancies from every source, job fairs. */
export const jobPostings: ServiceDefinition<JobPostingsDB, JobPostingsEnv> = {
  name: 'job-postings',
  parseEnv: parseJobPostingsEnv,
  migrations,
  publishesEvents: true,
  encryptedColumns: [{ table: 'employers', key: 'id', columns: ['contact_name_enc', 'contact_phone_enc'] }],
  app,
  startWorkers: (ctx, workerRedis) => startMaintenance(ctx, workerRedis),
  eventHandlers(ctx) {
    return {
      'referral.hired': (trx, payload) => applyHire(trx, payload, ctx.logger),
      'reserved-post.changed': upsertReservedPost,
    };
  },
};
