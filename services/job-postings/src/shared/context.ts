import type { ServiceContext } from '@reemploy/runtime';
import type { JobPostingsEnv } from '../config.ts';
import type { JobPostingsDB } from '../database.ts';

export type Ctx = ServiceContext<JobPostingsDB, JobPostingsEnv>;
