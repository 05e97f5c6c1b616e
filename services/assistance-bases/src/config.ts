import { z } from 'zod';
import { loadEnv, serviceEnvSchema } from '@reemploy/config';

export const assistanceBasesEnvSchema = serviceEnvSchema('ASSISTANCE_BASES_PORT', 3004, {});

export type AssistanceBasesEnv = z.infer<typeof assistanceBasesEnvSchema>;

export const parseAssistanceBasesEnv = (env: NodeJS.ProcessEnv): AssistanceBasesEnv => loadEnv(assistanceBasesEnvSchema, env);
