import type { ServiceContext } from '@reemploy/runtime';
import type { RegistrationEnv } from './config.ts';
import type { RegistrationDB } from './database.ts';

/** What the registration service's code works with: its database, environment, keys, Redis and logger. */
export type RegistrationContext = ServiceContext<RegistrationDB, RegistrationEnv>;
