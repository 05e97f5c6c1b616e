import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { createRedis } from '@reemploy/messaging';
import { Problem } from './problem.ts';

export interface RateLimitOptions {
  /** Where the counters live, shared by every instance of the service. */
  redis: ReturnType<typeof createRedis>;
  /** Keeps services and environments sharing one Redis apart, e.g. `reemploy:rate-limit:registration`. */
  namespace: string;
  /** Requests per minute of one calling system: the `sub` of a token that verified. */
  perCaller: number;
  /** Requests per minute from one client address (an IPv6 /64) without a token that verified. */
  perAddress: number;
}

const WINDOW_MS = 60_000;
/** Redis is asked at most this long; a request never waits longer for its count. */
const REDIS_WAIT_MS = 250;
/** After Redis failed to answer, requests are counted in the process this long before it is asked again. */
const PAUSE_AFTER_FAILURE_MS = 5000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Keys this process counts by itself at most; beyond, its counts start afresh. */
const MAX_LOCAL_KEYS = 100_000;

/**
 * This process's own count of the current minute (windows aligned to the clock's minutes), for
 * the requests Redis did not count: a budget per instance rather than none.
 */
function processCounter() {
  const counts = new Map<string, number>();
  let windowEnds = 0;
  return (key: string, now = Date.now()) => {
    if (now >= windowEnds || (counts.size >= MAX_LOCAL_KEYS && !counts.has(key))) {
      counts.clear();
      windowEnds = (Math.floor(now / WINDOW_MS) + 1) * WINDOW_MS;
    }
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    return { n, ttlInSeconds: Math.ceil((windowEnds - now) / 1000) };
  };
}

/**
 * Counts every request but the public routes' (health, readiness, the docs)
 * against its caller's budget, in Redis (fixed one-minute windows,
 * @fastify/rate-limit's store): a caller whose token verified by its `sub`,
 * anyone else by client address. It runs once the token is checked (the auth
 * plugin) and before anything can refuse the request, so that 401s, 403s and
 * 400s count too; a token that does not verify never touches the budget of the
 * `sub` it claims.
 *
 * When Redis does not answer (down: at once; hung, or the process too busy to
 * read its answer: after 250 ms), the request is counted in this process instead,
 * against the same budget, and Redis is left alone for five seconds: reads keep
 * being served while Redis is away, within a budget per instance. Before, such
 * requests went uncounted, so a flood that slowed the service past 250 ms switched
 * the limiter off for as long as it lasted.
 */
async function countRequests(app: FastifyInstance, opts: RateLimitOptions) {
  const keyOf = (request: FastifyRequest) => (request.caller ? `caller:${request.caller.sub}` : `address:${normalizeIP(request.ip)}`);
  const maxOf = (key: string) => (key.startsWith('caller:') ? opts.perCaller : opts.perAddress);
  await app.register(fastifyRateLimit, {
    global: false,
    redis: opts.redis,
    nameSpace: `${opts.namespace}:`,
    timeWindow: WINDOW_MS,
    keyGenerator: keyOf,
    max: (_request, key) => maxOf(key),
  });
  const count = app.createRateLimit();
  const countHere = processCounter();
  let pausedUntil = 0;

  const refuse = (reply: FastifyReply, key: string, max: number, ttlInSeconds: number): never => {
    reply.header('retry-after', Math.max(1, ttlInSeconds));
    const who = key.startsWith('caller:') ? 'per calling system' : 'per client address without a valid token';
    throw new Problem(429, 'rate-limited', 'Too many requests', `At most ${max} requests per minute ${who}; retry after ${Math.max(1, ttlInSeconds)} s`);
  };
  const inProcess = (request: FastifyRequest, reply: FastifyReply) => {
    const key = keyOf(request);
    const max = maxOf(key);
    const { n, ttlInSeconds } = countHere(key);
    reply.header('x-ratelimit-limit', max).header('x-ratelimit-remaining', Math.max(0, max - n)).header('x-ratelimit-reset', ttlInSeconds);
    if (n > max) refuse(reply, key, max, ttlInSeconds);
  };

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.public) return;
    if (Date.now() < pausedUntil) return inProcess(request, reply);
    let limit: Awaited<ReturnType<typeof count>>;
    try {
      limit = await within(count(request), REDIS_WAIT_MS);
    } catch (err) {
      pausedUntil = Date.now() + PAUSE_AFTER_FAILURE_MS;
      request.log.warn({ err: (err as Error).message }, `rate limit counted in this process: Redis did not answer; it is left alone for ${PAUSE_AFTER_FAILURE_MS} ms`);
      return inProcess(request, reply);
    }
    if (limit.isAllowed) return;
    reply.header('x-ratelimit-limit', limit.max).header('x-ratelimit-remaining', limit.remaining).header('x-ratelimit-reset', limit.ttlInSeconds);
    if (!limit.isExceeded) return;
    refuse(reply, limit.key, limit.max, limit.ttlInSeconds);
  });
}

export const rateLimit = fp(countRequests, { name: 'reemploy-rate-limit', fastify: '5.x', dependencies: ['reemploy-auth'] });
