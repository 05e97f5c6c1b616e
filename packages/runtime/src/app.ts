import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { BaseEnv } from '@reemploy/config';
import { createFastify, platformPlugin } from '@reemploy/http-kit';
import type { MessagingTables } from '@reemploy/messaging';
import type { ServiceContext, ServiceDefinition } from './service.ts';

/** The service's HTTP app: the platform first, then the service's own routes. */
export async function buildApp<DB extends MessagingTables, Env extends BaseEnv>(def: ServiceDefinition<DB, Env>, ctx: ServiceContext<DB, Env>): Promise<FastifyInstance> {
  const app = createFastify({
    service: def.name,
    logLevel: ctx.env.LOG_LEVEL,
    bodyLimit: ctx.env.BODY_LIMIT,
    requestTimeoutMs: ctx.env.REQUEST_TIMEOUT_MS,
  });
  await app.register(platformPlugin, {
    service: def.name,
    title: def.title,
    description: def.description,
    version: def.version,
    jwtSecret: ctx.secrets.jwtSecret,
    db: ctx.db as never,
    tags: def.tags ?? [],
    readiness: {
      postgres: () => sql`select 1`.execute(ctx.db),
      redis: () => ctx.redis.ping(),
    },
  });
  await app.register(async (scope) => def.routes(scope, ctx));
  await app.ready();
  return app;
}
