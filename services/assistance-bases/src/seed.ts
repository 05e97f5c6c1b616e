/** Loads the 29 demo bases into DATABASE_URL (migrating first): `pnpm --filter @reemploy/assistance-bases seed`. */
import { closeContext, createContext, prepareContext } from '@reemploy/runtime';
import { seedDemoBases } from './bases/demo.ts';
import { assistanceBases } from './definition.ts';

const ctx = createContext(assistanceBases, assistanceBases.parseEnv(process.env));
try {
  await prepareContext(ctx, assistanceBases.migrations);
  const added = await seedDemoBases(ctx.db);
  ctx.logger.info({ added }, `demo aid bases loaded (${added} new)`);
} finally {
  await closeContext(ctx);
}
