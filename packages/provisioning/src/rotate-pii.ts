/**
 * `pnpm rotate-pii [--service <name>] [--batch-size <rows>]` (compiled: `node
 * dist/rotate-pii.js` in the image of the compose service migrate): re-encrypts every
 * personal value still under a retired key (PII_OLD_KEYS), or not yet bound to
 * its row, with the service's current key, in the schema of each service (or
 * the one named), in batches, while the services keep serving. Each service
 * with its own role and keys (`<SERVICE>_DATABASE_URL`, `<SERVICE>_PII_KEY`, …;
 * the plain names for a process that runs one service). Run it after the
 * services restarted with the new key; run it again at any time (it only
 * touches what is left). Prints one JSON line per service; exit code 1 when
 * values are left (rows locked by requests: run again).
 */
import { parseArgs } from 'node:util';
import { envOfServices } from '@reemploy/config/deployment';
import { closeContext, createContext, encryptedColumnsOf, rotatePiiKeys } from '@reemploy/runtime';
import { loadService, servicesNamed } from './services.ts';

const { values } = parseArgs({ options: { service: { type: 'string' }, 'batch-size': { type: 'string', default: '500' } } });
const batchSize = Number(values['batch-size']);
if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('--batch-size must be a positive integer');
const names = servicesNamed(values.service);

const envs = envOfServices(names);
let left = 0;
for (const name of names) {
  const def = await loadService(name);
  const ctx = createContext(def, def.parseEnv(envs[name]!));
  try {
    const result = await rotatePiiKeys(ctx, encryptedColumnsOf(def), {
      batchSize,
      onProgress: (p) => process.stderr.write(`${def.name} ${p.table}: ${p.rotated}/${p.total}\n`),
    });
    left += result.remaining;
    process.stdout.write(`${JSON.stringify({ service: def.name, ...result })}\n`);
  } finally {
    await closeContext(ctx);
  }
}
if (left > 0) process.exitCode = 1;
