import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyPluginCallback } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Queue } from 'bullmq';
import { queueNames, type QueueName, type ServiceName } from '@reemploy/events';
import { problems } from '@reemploy/http-kit';
import { ADMIN_SCOPE, QUEUES_WRITE_SCOPE, boardAnswerFor, isCityOperator } from './board-view.ts';
import { registerQueueMetrics } from './queue-metrics.ts';
import type { AnyServiceContext, ServiceContext } from './service.ts';

export const ADMIN_PREFIX = '/admin';
export const ADMIN_COOKIE = 'reemploy_admin';
/** A token in a URL ends up in browser history: only short-lived ones are accepted there. */
export const MAX_QUERY_TOKEN_SECONDS = 3600;

/** The queues an operator of this service looks after: its events, its maintenance, and its own (`ServiceDefinition.queues`). */
export function operatorQueueNames(service: ServiceName, own: readonly QueueName[] = []): QueueName[] {
  return [queueNames.events(service), queueNames.maintenance(service), ...own];
}

const underAdmin = (url: string) => url === ADMIN_PREFIX || url.startsWith(`${ADMIN_PREFIX}/`) || url.startsWith(`${ADMIN_PREFIX}?`);

function queryToken(query: unknown): string | undefined {
  const token = (query as Record<string, unknown> | undefined)?.token;
  return typeof token === 'string' && token ? token : undefined;
}

/**
 * Browsers cannot send a bearer header when loading the dashboard and its
 * assets. Under /admin only, a token from `?token=` or the admin cookie is
 * handed to the auth plugin as if it were the header. Register it before the
 * auth plugin so its hook runs first.
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
export function openOperatorQueues(ctx: Pick<ServiceContext, 'service' | 'redis' | 'queuePrefix' | 'logger'>, own: readonly QueueName[] = []): Queue[] {
  return operatorQueueNames(ctx.service, own).map((name) => {
    const queue = new Queue(name, { connection: ctx.redis, prefix: ctx.queuePrefix });
    queue.on('error', (err) => ctx.logger.debug({ err: err.message }, 'operator queue error'));
    return queue;
  });
}

const READS = new Set(['GET', 'HEAD']);
/** The most jobs one page of the board lists (the page's own setting goes up to 300): each is read from Redis and shaped. */
export const MAX_JOBS_PER_PAGE = 300;

/**
 * The bull-board dashboard at /admin/queues, for the city's operators: every
 * route needs the admin scope and regions covering the city (event payloads
 * come from every district); any route that changes a queue or a job also
 * needs `queues:write`. Job data shows personal fields only with `pii:read`.
 */
export async function registerAdminBoard(app: FastifyInstance, queues: Queue[], options: { cityCode: string }) {
  const basePath = `${ADMIN_PREFIX}/queues`;
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter, options: { uiConfig: { boardTitle: 'reemploy queues' } } });
  const board = serverAdapter.registerPlugin() as FastifyPluginCallback;

  await app.register(async (scope) => {
    // bull-board's routes carry no config: the access plugin checks the scope each route declares.
    // Reads need the admin scope; everything else (add, retry, clean, pause, update data, …) queues:write.
    scope.addHook('onRoute', (route) => {
      const methods = [route.method].flat();
      const needed = methods.every((m) => READS.has(m)) ? ADMIN_SCOPE : QUEUES_WRITE_SCOPE;
      route.config = { ...(route.config ?? {}), scope: needed };
      // The access plugin catalogued the route a moment ago, before this hook ran.
      for (const entry of app.routeCatalog) if (entry.url === route.url && methods.includes(entry.method) && !entry.scope) entry.scope = needed;
    });
    // Runs after the auth and access plugins verified the token and the route's scope; before a token becomes a cookie.
    scope.addHook('onRequest', async (request) => {
      if (!isCityOperator(request.caller, options.cityCode)) {
        throw problems.forbidden(`The queue dashboard shows the whole city's events: it needs the "${ADMIN_SCOPE}" scope and regions covering the city (${options.cityCode})`);
      }
    });
    // bull-board reads as many jobs as a page asks for (all 50,000 kept ones, were it asked).
    scope.addHook('onRequest', async (request) => {
      const asked = (request.query as Record<string, unknown> | undefined)?.jobsPerPage;
      if (asked === undefined) return;
      const n = Number(asked);
      if (typeof asked !== 'string' || !Number.isInteger(n) || n < 1 || n > MAX_JOBS_PER_PAGE) {
        throw problems.field('query.jobsPerPage', `must be a whole number from 1 to ${MAX_JOBS_PER_PAGE}`);
      }
    });
    // Runs after the auth plugin verified the token: a token that came in the URL moves to a cookie.
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
    // Problems (401, 403, …) pass as they are: they carry no job data, and a refused request has no caller.
    scope.addHook('preSerialization', async (request, reply, payload) => (reply.statusCode >= 400 || !request.caller ? payload : boardAnswerFor(request.caller, payload)));
    await scope.register(
      ((instance, opts, done) => {
        // bull-board installs its own error handler, which would turn the errors plugin's
        // problem+json 401/403 into 500s; errors go to that plugin's handler instead.
        Object.assign(instance, { setErrorHandler: () => instance });
        board(instance, opts, done);
      }) as FastifyPluginCallback,
      { prefix: basePath },
    );
  });
}

export interface OperatorToolsOptions {
  ctx: AnyServiceContext;
  /** The service's own queues besides its events and maintenance (`ServiceDefinition.queues`). */
  queues?: readonly QueueName[];
}

/** The queue dashboard and the queue and outbox metrics of one service; its queues close with the app. */
export const operatorTools = fp(
  async (app: FastifyInstance, { ctx, queues: own }: OperatorToolsOptions) => {
    const queues = openOperatorQueues(ctx, own);
    app.addHook('onClose', async () => {
      await Promise.all(queues.map((q) => q.close()));
    });
    registerQueueMetrics(app, ctx, queues, ctx.env.METRICS_CACHE_MS);
    await registerAdminBoard(app, queues, { cityCode: ctx.env.CITY_CODE });
  },
  { name: 'reemploy-operator-tools', fastify: '5.x', dependencies: ['reemploy-access', 'reemploy-operational'] },
);
