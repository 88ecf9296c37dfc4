import type { Redis } from 'ioredis';
import type { RateLimiter } from '../api/middleware/rate-limit.ts';
import { redisCall } from './redis.ts';
import { retryAfterSeconds } from '../lib/gcra.ts';

/**
 * GCRA (src/lib/gcra.ts) as one Lua script, so concurrent hits from any process are atomic. Time is
 * Redis's own clock, the one every API process shares. Returns 0 when allowed, else the ms to wait.
 */
const GCRA_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local nextTat = tat + cost * interval
if cost <= 0 then
  if nextTat < now then nextTat = now end
else
  local over = nextTat - now - burst * interval
  if over > 0 then return math.ceil(over) end
end
redis.call('SET', KEYS[1], string.format('%.3f', nextTat), 'PX', math.ceil(nextTat - now) + 1000)
return 0
`;

type GcraRedis = Redis & { gcra(key: string, intervalMs: number, burst: number, cost: number): Promise<number> };

/** The budgets live in Redis, shared by every API process; a Redis outage fails the request with 503. */
export function redisRateLimiter(redis: Redis, prefix: string): RateLimiter {
  const r = redis as GcraRedis;
  r.defineCommand('gcra', { numberOfKeys: 1, lua: GCRA_SCRIPT });
  return {
    available: () => redis.status === 'ready',
    async hit(key, rate, cost = 1) {
      const waitMs = Number(await redisCall(() => r.gcra(`${prefix}:gcra:${key}`, rate.intervalMs, rate.burst, cost)));
      return waitMs > 0 ? retryAfterSeconds(waitMs) : 0;
    },
  };
}
