import type { ServiceContext } from '@reemploy/runtime';
import type { JobPostingsEnv } from './config.ts';
import type { JobPostingsDB } from './database.ts';

/** What the job-postings service's code works with: its database, environment, keys, Redis and logger. */
export type JobPostingsContext = ServiceContext<JobPostingsDB, JobPostingsEnv>;
