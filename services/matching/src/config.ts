import { z } from 'zod';
import { loadEnv, serviceEnvSchema } from '@reemploy/config';

export const matchingEnvSchema = serviceEnvSchema('MATCHING_PORT', 3003, {});

export type MatchingEnv = z.infer<typeof matchingEnvSchema>;

export const parseMatchingEnv = (env: NodeJS.ProcessEnv): MatchingEnv => loadEnv(matchingEnvSchema, env);
