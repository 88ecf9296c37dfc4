import { Redis } from 'ioredis';
import { UnavailableError } from '../lib/unavailable.ts';

export { startLocalRedis, ensureRedisServer, freePort, type LocalRedis } from './local-redis.ts';

/** Reconnect every 100 ms growing to 1 s, forever: a Redis that comes back is seen within a second. */
const reconnectDelay = (attempt: number) => Math.min(attempt * 100, 1_000);

/** A connection for BullMQ workers, which need maxRetriesPerRequest: null (their commands wait for Redis). */
export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, retryStrategy: reconnectDelay });
}

/**
 * A connection for the request path and for producers: while Redis is unreachable its commands fail
 * at once (no offline queue) so requests answer 503 rather than wait; `commandTimeoutMs` also bounds a
 * Redis that keeps the connection but does not answer.
 */
export function connectFailFast(url: string, commandTimeoutMs?: number): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: commandTimeoutMs,
    enableReadyCheck: true,
    retryStrategy: reconnectDelay,
  });
}

/** Resolves once the connection is ready (fail-fast connections refuse commands before that). */
export function whenReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => redis.once('ready', () => resolve()));
}

/** Calls `fn` each time the connection is ready again after it was lost (not on the first connect). */
export function onReconnect(redis: Redis, fn: () => void): void {
  let lost = false;
  redis.on('close', () => (lost = true));
  redis.on('ready', () => {
    if (!lost) return;
    lost = false;
    fn();
  });
}

/** Runs a Redis call of the request path; any failure means Redis is unavailable (503 upstream). */
export async function redisCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new UnavailableError('redis', `Redis is unavailable (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** BullMQ loses jobs if Redis evicts keys: refuse anything but noeviction. */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const res = (await redis.config('GET', 'maxmemory-policy')) as string[];
  const policy = res?.[1];
  if (policy && policy !== 'noeviction') {
    throw new Error(
      `Redis maxmemory-policy is "${policy}"; kates needs "noeviction" so queue keys are never evicted (CONFIG SET maxmemory-policy noeviction).`,
    );
  }
}
