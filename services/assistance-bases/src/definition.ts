import type { ServiceDefinition } from '@reemploy/runtime';
import { migrations } from '../migrations/index.ts';
import { parseAssistanceBasesEnv, type AssistanceBasesEnv } from './config.ts';
import type { AssistanceBasesDB } from './database.ts';

/** The assistance-bases service: the re-employment assistance bases, reserved posts, placements. */
export const assistanceBases: ServiceDefinition<AssistanceBasesDB, AssistanceBasesEnv> = {
  name: 'assistance-bases',
  title: 'reemploy assistance-bases',
  description: 'The re-employment assistance bases, the posts they reserve for hardship groups with quotas, and their placements.',
  version: '0.1.0',
  portVar: 'ASSISTANCE_BASES_PORT',
  parseEnv: parseAssistanceBasesEnv,
  migrations,
  publishesEvents: true,
  tags: [],
  async routes() {},
};
