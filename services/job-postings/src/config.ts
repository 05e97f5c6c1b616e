import { z } from 'zod';
import { loadEnv, serviceEnvSchema } from '@reemploy/config';

export const jobPostingsEnvSchema = serviceEnvSchema('JOB_POSTINGS_PORT', 3002, {
  VACANCY_STALE_DAYS: z.coerce.number().int().min(1).max(3650).default(90).describe('Days without a refresh after which the daily job unpublishes an open vacancy'),
  VACANCY_NEAR_DUPLICATE_SIMILARITY: z.coerce
    .number()
    .min(0.05)
    .max(1)
    .default(0.4)
    .describe('Trigram similarity (0–1) of normalised titles from which two open vacancies of one employer and occupation are listed as near duplicates'),
  VACANCY_MAINTENANCE_CRON: z.string().min(9).max(100).default('30 0 * * *').describe('Cron pattern (Asia/Shanghai) of the daily expiry and unpublish job'),
  VACANCY_IMPORT_MAX_ROWS: z.coerce.number().int().min(1).max(100_000).default(5000).describe('Most rows accepted in one bulk vacancy import'),
  VACANCY_IMPORT_BODY_LIMIT: z.coerce.number().int().min(1024).default(16 * 1024 * 1024).describe('Largest accepted bulk-import upload (NDJSON or CSV) in bytes'),
});

export type JobPostingsEnv = z.infer<typeof jobPostingsEnvSchema>;

export const parseJobPostingsEnv = (env: NodeJS.ProcessEnv): JobPostingsEnv => loadEnv(jobPostingsEnvSchema, env);
