/**
 * Migrates the schema and imports the division tree without starting the
 * server (deploy step): `pnpm --filter @reemploy/registration regions:import [prefix]`.
 */
import { closeContext, createContext, prepareContext } from '@reemploy/runtime';
import { registration } from '../definition.ts';
import { importRegions } from './service.ts';

const ctx = createContext(registration, registration.parseEnv(process.env));
try {
  await prepareContext(ctx, registration.migrations);
  const prefix = process.argv[2] ?? ctx.env.REGION_PREFIX;
  const result = await importRegions(ctx, prefix);
  ctx.logger.info({ prefix, ...result }, result.skipped ? 'regions already imported' : 'regions imported');
} finally {
  await closeContext(ctx);
}
