import type { ServiceContext } from '@reemploy/runtime';
import type { AssistanceBasesEnv } from './config.ts';
import type { AssistanceBasesDB } from './database.ts';

/** What the assistance-bases service's code works with: its database, environment, keys, Redis and logger. */
export type AssistanceBasesContext = ServiceContext<AssistanceBasesDB, AssistanceBasesEnv>;
