import type { ServiceDefinition } from '@reemploy/runtime';
import { migrations } from '../migrations/index.ts';
import { parseJobPostingsEnv, type JobPostingsEnv } from './config.ts';
import type { JobPostingsDB } from './database.ts';

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
  tags: [],
  async routes() {},
};
