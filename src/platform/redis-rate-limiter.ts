import type { Redis } from 'ioredis';
import type { RateLimiter } from '../api/middleware/rate-limit.ts';
import { redisCall } from './redis.ts';

/** Fixed one-minute windows in Redis, shared by every API process; a Redis outage fails the request with 503. */
export function redisRateLimiter(redis: Redis, prefix: string): RateLimiter {
  return {
    async hit(key, limitPerMinute) {
      const window = Math.floor(Date.now() / 60_000);
      const k = `${prefix}:rl:${key}:${window}`;
      const [[, count]] = (await redisCall(() => redis.multi().incr(k).expire(k, 120).exec())) as [[null, number], [null, number]];
      if (count <= limitPerMinute) return 0;
      return Math.max(1, Math.ceil(((window + 1) * 60_000 - Date.now()) / 1000));
    },
  };
}
