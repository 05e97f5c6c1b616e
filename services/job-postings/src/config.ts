import { z } from 'zod';
import { loadEnv, serviceEnvSchema } from '@reemploy/config';

export const jobPostingsEnvSchema = serviceEnvSchema('JOB_POSTINGS_PORT', 3002, {});

export type JobPostingsEnv = z.infer<typeof jobPostingsEnvSchema>;

export const parseJobPostingsEnv = (env: NodeJS.ProcessEnv): JobPostingsEnv => loadEnv(jobPostingsEnvSchema, env);
