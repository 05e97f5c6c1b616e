/**
 * pnpm --filter @reemploy/matching exec tsx bench/on-demand-cpu.ts --seekers 20000 --vacancies 10000 --rate 200 --seconds 10
 * Loads a demo city into a fresh schema and measures GET matches only: latency and the
 * server's CPU per request (all threads, and the main thread's event-loop busy time).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loggerOptions } from '@reemploy/http-kit';
import { buildApp, closeContext, createContext, prepareContext } from '@reemploy/runtime';
import { dropSchema } from '@reemploy/db';
import { testIssuer } from '@reemploy/runtime/testing';
import { matching } from '../src/definition.ts';
import { loadCity } from './load.ts';
import { measureOnDemand } from './on-demand.ts';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    seekers: { type: 'string', default: '20000' },
    vacancies: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    'log-level': { type: 'string', default: 'warn' },
  },
});
const suffix = randomBytes(4).toString('hex');
const env = {
  // A benchmark, not a deployment: development defaults for the PII key; tokens from the test issuer.
  NODE_ENV: 'test',
  // Answers written as in production: by the compiled schema alone.
  RESPONSE_CHECKS: 'false',
  TOKEN_ISSUER: testIssuer.issuer,
  JWKS_JSON: JSON.stringify(testIssuer.jwks),
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/reemploy',
  DB_SCHEMA: `matching_bench_${suffix}`,
  QUEUE_PREFIX: `bench${suffix}`,
  RUN_WORKERS: 'false',
  LOG_LEVEL: values['log-level'],
  MAX_EVENT_LOOP_DELAY_MS: '600000',
};
const ctx = createContext(matching, matching.parseEnv({ ...process.env, ...env }), pino(loggerOptions('matching', values['log-level']), pino.destination('/dev/null')));
try {
  await prepareContext(ctx, matching.migrations);
  const app = await buildApp(matching, ctx);
  const loaded = await loadCity(ctx.database.pool, { seekers: Number(values.seekers), vacancies: Number(values.vacancies), seed: 'bench' });
  process.stderr.write(`loaded ${JSON.stringify(loaded)}\n`);
  const authorization = `Bearer ${testIssuer.token({ audience: 'reemploy-matching', sub: 'bench', scopes: ['matching:read'], regions: ['3205'] })}`;
  const result = await measureOnDemand(app, ctx.database.pool, authorization, Number(values.rate), Number(values.seconds));
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  await app.close();
} finally {
  await dropSchema(ctx.db as never, ctx.database.schema).catch(() => undefined);
  await closeContext(ctx);
}
process.exit(0);
