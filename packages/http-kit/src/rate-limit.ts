import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
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
/** After Redis failed to answer, requests go uncounted this long before it is asked again. */
const PAUSE_AFTER_FAILURE_MS = 5000;

export type RateLimitCheck = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * Counts a request against its caller's budget, in Redis (fixed one-minute
 * windows, @fastify/rate-limit's store): a caller whose token verified by its
 * `sub`, anyone else by client address. Call it once the token is checked and
 * before anything can refuse the request, so that 401s and 400s count too; a
 * token that does not verify never touches the budget of the `sub` it claims.
 *
 * When Redis does not answer (down: at once; hung: after 250 ms), the request
 * goes through uncounted and Redis is left alone for five seconds: the limiter
 * fails open, so that reads keep being served while Redis is away (load
 * shedding on event-loop lag still protects the process).
 */
export async function createRateLimit(app: FastifyInstance, opts: RateLimitOptions): Promise<RateLimitCheck> {
  await app.register(rateLimit, {
    global: false,
    redis: opts.redis,
    nameSpace: `${opts.namespace}:`,
    timeWindow: WINDOW_MS,
    keyGenerator: (request) => (request.caller ? `caller:${request.caller.sub}` : `address:${normalizeIP(request.ip)}`),
    max: (_request, key) => (key.startsWith('caller:') ? opts.perCaller : opts.perAddress),
  });
  const count = app.createRateLimit();
  let pausedUntil = 0;
  return async (request, reply) => {
    if (Date.now() < pausedUntil) return;
    let limit: Awaited<ReturnType<typeof count>>;
    try {
      limit = await within(count(request), REDIS_WAIT_MS);
    } catch (err) {
      pausedUntil = Date.now() + PAUSE_AFTER_FAILURE_MS;
      request.log.warn({ err: (err as Error).message }, `rate limit not counted: Redis did not answer; requests go uncounted for ${PAUSE_AFTER_FAILURE_MS} ms`);
      return;
    }
    if (limit.isAllowed) return;
    reply.header('x-ratelimit-limit', limit.max).header('x-ratelimit-remaining', limit.remaining).header('x-ratelimit-reset', limit.ttlInSeconds);
    if (!limit.isExceeded) return;
    reply.header('retry-after', Math.max(1, limit.ttlInSeconds));
    const who = limit.key.startsWith('caller:') ? 'per calling system' : 'per client address without a valid token';
    throw new Problem(429, 'rate-limited', 'Too many requests', `At most ${limit.max} requests per minute ${who}; retry after ${Math.max(1, limit.ttlInSeconds)} s`);
  };
}
