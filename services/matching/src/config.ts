import { z } from 'zod';
import { loadEnv, serviceEnvSchema } from '@reemploy/config';
import { resolveConfig, type FactorName } from '@reemploy/matching-engine';

/** `skills:0.3,occupation:0.2,...`: any factor left out keeps the engine's default weight. */
const weights = z
  .string()
  .regex(/^(\s*(skills|occupation|age|wage|proximity|priority)\s*:\s*\d+(\.\d+)?\s*)(,\s*(skills|occupation|age|wage|proximity|priority)\s*:\s*\d+(\.\d+)?\s*)*$/, 'factor:weight pairs separated by commas')
  // A factor given twice is a typo, not a choice: which of the two would win is nobody's intent.
  .refine((s) => {
    const names = s.split(',').map((p) => p.split(':')[0]!.trim());
    return new Set(names).size === names.length;
  }, 'each factor at most once')
  .transform((s) => Object.fromEntries(s.split(',').map((p) => p.split(':').map((x) => x.trim())).map(([k, v]) => [k, Number(v)])) as Partial<Record<FactorName, number>>)
  // Checked at start like every other variable: weights the engine would refuse (all 0) must not wait for the first request.
  .refine((w) => {
    try {
      resolveConfig({ weights: w as Record<FactorName, number> });
      return true;
    } catch {
      return false;
    }
  }, 'at least one weight must be positive');

export const matchingEnvSchema = serviceEnvSchema('MATCHING_PORT', 3003, {
  MATCHING_TOP_K: z.coerce.number().int().min(1).max(100).default(20).describe('Vacancies in each seeker list of a matching run'),
  MATCHING_CAPACITY_FACTOR: z.coerce.number().min(0.1).max(100).default(5).describe('A vacancy with headcount h is put in at most c*h lists of a run'),
  MATCHING_WEIGHTS: weights.optional().describe('Factor weights, e.g. skills:0.3,occupation:0.2,age:0.08,wage:0.12,proximity:0.15,priority:0.15'),
  MATCHING_PARTITION_SIZE: z.coerce.number().int().min(100).max(1_000_000).default(4000).describe('Target seekers per partition job of a run (consecutive streets of one district up to about this many)'),
  MATCHING_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1).describe('Partition jobs one worker process computes at once (CPU bound: 1 per core)'),
  MATCHING_NIGHTLY_CRON: z.string().default('0 2 * * *').describe('When the nightly run starts (cron, Asia/Shanghai)'),
  MATCHER_REFRESH_MS: z.coerce.number().int().min(0).max(600_000).default(3000).describe('How often on-demand matching checks its projection for changes (ms)'),
  REFERRAL_EXPIRY_DAYS: z.coerce.number().int().min(1).max(365).default(14).describe('Days after which an unanswered referral expires'),
});

export type MatchingEnv = z.infer<typeof matchingEnvSchema>;

export const parseMatchingEnv = (env: NodeJS.ProcessEnv): MatchingEnv => loadEnv(matchingEnvSchema, env);
