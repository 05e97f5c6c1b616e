import type { ServiceContext } from '@reemploy/runtime';
import type { MatchingEnv } from './config.ts';
import type { MatchingDB } from './database.ts';

/** What the matching service's code works with: its database, environment, keys, Redis and logger. */
export type MatchingContext = ServiceContext<MatchingDB, MatchingEnv>;
