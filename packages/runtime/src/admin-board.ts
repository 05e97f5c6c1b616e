import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyPluginCallback } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Queue } from 'bullmq';
import { queueNames, type ServiceName } from '@reemploy/events';
import { problems } from '@reemploy/http-kit';
import { matchingMetrics, registerQueueMetrics } from './queue-metrics.ts';
import type { ServiceContext } from './service.ts';

export const ADMIN_PREFIX = '/admin';
export const ADMIN_SCOPE = 'admin';
export const ADMIN_COOKIE = 'reemploy_admin';
/** A token in a URL ends up in browser history: only short-lived ones are accepted there. */
export const MAX_QUERY_TOKEN_SECONDS = 3600;

/** The queues an operator of this service looks after. */
export function operatorQueueNames(service: ServiceName): string[] {
  const names = [queueNames.events(service), queueNames.maintenance(service)];
  if (service === 'matching') names.push(queueNames.matchingRuns, queueNames.matchingPartitions);
  return names;
}

const underAdmin = (url: string) => url === ADMIN_PREFIX || url.startsWith(`${ADMIN_PREFIX}/`) || url.startsWith(`${ADMIN_PREFIX}?`);

function queryToken(query: unknown): string | undefined {
  const token = (query as Record<string, unknown> | undefined)?.token;
  return typeof token === 'string' && token ? token : undefined;
}

/**
 * Browsers cannot send a bearer header when loading the dashboard and its
 * assets. Under /admin only, a token from `?token=` or the admin cookie is
 * handed to the platform's scope check as if it were the header. Register it
 * before the platform so its hook runs first.
 */
export const adminTokenBridge = fp(
  async (app: FastifyInstance) => {
    // No global hook: cookies are parsed only under /admin, here.
    await app.register(fastifyCookie, { hook: false });
    app.addHook('onRequest', async (request) => {
      if (!underAdmin(request.url) || request.headers.authorization) return;
      const token = queryToken(request.query) ?? app.parseCookie(request.headers.cookie ?? '')[ADMIN_COOKIE];
      if (token) request.headers.authorization = `Bearer ${token}`;
    });
  },
  { name: 'reemploy-admin-token-bridge', fastify: '5.x' },
);

function secondsLeft(token: string): number {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: number };
    return Math.floor((claims.exp ?? 0) - Date.now() / 1000);
  } catch {
    return 0;
  }
}

/** Opens producer-side handles on the service's queues (they share the fail-fast connection). */
export function openOperatorQueues(ctx: Pick<ServiceContext, 'service' | 'redis' | 'queuePrefix' | 'logger'>): Queue[] {
  return operatorQueueNames(ctx.service).map((name) => {
    const queue = new Queue(name, { connection: ctx.redis, prefix: ctx.queuePrefix });
    queue.on('error', (err) => ctx.logger.debug({ err: err.message }, 'operator queue error'));
    return queue;
  });
}

/** The bull-board dashboard at /admin/queues, every route of it behind the admin scope. */
export async function registerAdminBoard(app: FastifyInstance, queues: Queue[]) {
  const basePath = `${ADMIN_PREFIX}/queues`;
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter, options: { uiConfig: { boardTitle: 'reemploy queues' } } });
  const board = serverAdapter.registerPlugin() as FastifyPluginCallback;

  await app.register(async (scope) => {
    // bull-board's routes carry no config: the platform checks the scope each route declares.
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), scope: ADMIN_SCOPE };
      // The platform catalogued the route a moment ago, before this hook ran.
      for (const entry of app.routeCatalog) if (entry.url === route.url && !entry.scope) entry.scope = ADMIN_SCOPE;
    });
    // Runs after the platform verified the token: a token that came in the URL moves to a cookie.
    scope.addHook('onRequest', async (request, reply) => {
      const token = queryToken(request.query);
      if (!token) return;
      const ttl = secondsLeft(token);
      if (ttl > MAX_QUERY_TOKEN_SECONDS) throw problems.field('query.token', `must expire within ${MAX_QUERY_TOKEN_SECONDS} seconds; pass longer-lived tokens as a bearer header`);
      reply.header(
        'set-cookie',
        app.serializeCookie(ADMIN_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: ADMIN_PREFIX, maxAge: Math.max(ttl, 0), secure: request.protocol === 'https' }),
      );
      if (request.method !== 'GET') return;
      // Take the token out of the address bar and history.
      const url = new URL(request.url, 'http://local');
      url.searchParams.delete('token');
      return reply.redirect(`${url.pathname}${url.search}`, 303);
    });
    await scope.register(
      ((instance, opts, done) => {
        // bull-board installs its own error handler, which would turn the platform's
        // problem+json 401/403 into 500s; errors go to the platform's handler instead.
        Object.assign(instance, { setErrorHandler: () => instance });
        board(instance, opts, done);
      }) as FastifyPluginCallback,
      { prefix: basePath },
    );
  });
}

/** Queue dashboard and queue/outbox metrics for one service; queues close with the app. */
export async function registerOperatorTools(app: FastifyInstance, ctx: ServiceContext) {
  const queues = openOperatorQueues(ctx);
  app.addHook('onClose', async () => {
    await Promise.all(queues.map((q) => q.close()));
  });
  registerQueueMetrics(app, ctx, queues, ctx.env.METRICS_CACHE_MS);
  // Present from the first scrape, so dashboards and alerts see zeros rather than gaps.
  if (ctx.service === 'matching') matchingMetrics(app.metrics.registry);
  await registerAdminBoard(app, queues);
}
