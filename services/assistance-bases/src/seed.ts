/**
 * Loads the 29 demo bases (migrating first), connected as the service's own role
 * (ASSISTANCE_BASES_DATABASE_URL; its development role by default):
 * `pnpm --filter @reemploy/assistance-bases seed`.
 */
import { envOfService } from '@reemploy/config/deployment';
import { closeContext, createContext, prepareContext } from '@reemploy/runtime';
import { seedDemoBases } from './bases/demo.ts';
import { assistanceBases } from './definition.ts';

const ctx = createContext(assistanceBases, assistanceBases.parseEnv(envOfService(assistanceBases.name)));
try {
  await prepareContext(ctx, assistanceBases.migrations);
  const added = await seedDemoBases(ctx.db);
  ctx.logger.info({ added }, `demo aid bases loaded (${added} new)`);
} finally {
  await closeContext(ctx);
}
