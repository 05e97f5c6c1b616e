/**
 * Builds each service's app (in a throw-away schema of the test database, not
 * listening) and returns its OpenAPI document: the single source of the client.
 */
import { randomBytes } from 'node:crypto';
import type { ServiceDefinition } from '@reemploy/runtime';
import { buildApp, closeContext, createContext, prepareContext } from '@reemploy/runtime';
import { TEST_DATABASE_URL } from '@reemploy/runtime/testing';
import { dropSchema } from '@reemploy/db';
import { registration } from '@reemploy/registration';
import { jobPostings } from '@reemploy/job-postings';
import { matching } from '@reemploy/matching';
import { assistanceBases } from '@reemploy/assistance-bases';
import pino from 'pino';

export const definitions = [registration, jobPostings, matching, assistanceBases] as unknown as ServiceDefinition[];

export async function openapiDocuments(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const def of definitions) {
    const schema = `openapi_${def.name.replaceAll('-', '_')}_${randomBytes(4).toString('hex')}`;
    const env = def.parseEnv({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: TEST_DATABASE_URL, DB_SCHEMA: schema });
    const ctx = createContext(def, env, pino({ level: 'silent' }));
    try {
      await prepareContext(ctx, def.migrations);
      const app = await buildApp(def, ctx);
      out[def.name] = app.swagger();
      await app.close();
    } finally {
      await dropSchema(ctx.db as never, schema);
      await closeContext(ctx);
    }
  }
  return out;
}
