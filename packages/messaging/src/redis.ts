import { Redis } from 'ioredis';

export type RedisRole = 'producer' | 'worker';

/**
 * Producers fail fast: no offline queue and a command timeout, so an HTTP
 * request that must enqueue answers 503 within about a second when Redis is
 * down or hung. Workers wait and reconnect forever, as BullMQ requires.
 */
export function createRedis(url: string, role: RedisRole, name: string): Redis {
  const common = { connectionName: name, lazyConnect: false, retryStrategy: (n: number) => Math.min(200 * n, 2000) };
  if (role === 'producer') {
    return new Redis(url, { ...common, enableOfflineQueue: false, commandTimeout: 1000, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  }
  return new Redis(url, { ...common, maxRetriesPerRequest: null, enableOfflineQueue: true });
}

/** Resolves when the connection is ready (or rejects after the timeout). */
export async function waitReady(redis: Redis, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}

export class RedisPolicyError extends Error {
  override name = 'RedisPolicyError';
}

/**
 * BullMQ loses jobs silently under an evicting policy, so a service refuses to
 * start unless Redis says `noeviction`. Missing append-only persistence is a warning.
 */
export async function assertRedisPolicy(redis: Redis, warn: (msg: string) => void): Promise<void> {
  const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
  if (policy !== 'noeviction') {
    throw new RedisPolicyError(`Redis maxmemory-policy is "${policy}"; BullMQ needs "noeviction"`);
  }
  const [, aof] = (await redis.config('GET', 'appendonly')) as [string, string];
  if (aof !== 'yes') warn('Redis appendonly is not "yes": queued jobs would not survive a Redis crash');
}

export async function closeRedis(...connections: Redis[]): Promise<void> {
  await Promise.all(
    connections.map(async (r) => {
      if (r.status === 'end') return;
      try {
        await r.quit();
      } catch {
        r.disconnect();
      }
    }),
  );
}

/** True when the error means "Redis is not reachable right now" (down, hung, reconnecting). */
export function isRedisUnavailable(err: unknown): boolean {
  const msg = (err as Error | undefined)?.message ?? '';
  return /enableOfflineQueue|Command timed out|Connection is closed|ECONNREFUSED|Redis not ready|Reached the max retries/i.test(msg);
}
