import type { ServiceDefinition } from '@reemploy/runtime';
import { migrations } from '../migrations/index.ts';
import { parseJobPostingsEnv, type JobPostingsEnv } from './config.ts';
import type { JobPostingsDB } from './database.ts';
import { employerRoutes } from './employers/routes.ts';
import { jobFairRoutes } from './job-fairs/routes.ts';
import { startMaintenance } from './maintenance/jobs.ts';
import { upsertReservedPost } from './reserved-posts/repository.ts';
import { taxonomyRoutes } from './taxonomy/routes.ts';
import { applyHire } from './vacancies/hires.ts';
import { vacancyImportRoutes } from './vacancies/import-routes.ts';
import { vacancyRoutes } from './vacancies/routes.ts';

/** The job-postings service: employers, vacancies from every source, job fairs. */
export const jobPostings: ServiceDefinition<JobPostingsDB, JobPostingsEnv> = {
  name: 'job-postings',
  title: 'reemploy job-postings',
  description: 'Employers, vacancies collected from every source with duplicates caught, job fairs, and the occupation and skill taxonomy.',
  version: '0.1.0',
  portVar: 'JOB_POSTINGS_PORT',
  parseEnv: parseJobPostingsEnv,
  migrations,
  publishesEvents: true,
  encryptedColumns: [{ table: 'employers', key: 'id', columns: ['contact_name_enc', 'contact_phone_enc'] }],
  tags: [
    { name: 'employers', description: 'Employers, identified by their unified social credit code' },
    { name: 'vacancies', description: 'Vacancies from coordinators, employers, aid bases and job fairs, duplicates caught' },
    { name: 'job-fairs', description: 'Job fairs (招聘会) and the vacancies shown there' },
    { name: 'taxonomy', description: 'The occupation and skill taxonomy (GB/T 6565 major groups)' },
  ],
  async routes(app, ctx) {
    await taxonomyRoutes(app);
    await employerRoutes(app, ctx);
    await vacancyRoutes(app, ctx);
    await vacancyImportRoutes(app, ctx);
    await jobFairRoutes(app, ctx);
  },
  startWorkers: (ctx, workerRedis) => startMaintenance(ctx, workerRedis),
  eventHandlers(ctx) {
    return {
      'referral.hired': (trx, payload) => applyHire(trx, payload, ctx.logger),
      'reserved-post.changed': upsertReservedPost,
    };
  },
};
