import { z } from 'zod';
import { loadEnv, serviceEnvSchema } from '@reemploy/config';

export const registrationEnvSchema = serviceEnvSchema('REGISTRATION_PORT', 3001, {});

export type RegistrationEnv = z.infer<typeof registrationEnvSchema>;

export const parseRegistrationEnv = (env: NodeJS.ProcessEnv): RegistrationEnv => loadEnv(registrationEnvSchema, env);
