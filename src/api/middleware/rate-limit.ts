import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';
import type { AppEnv } from '../env.ts';

/** A fixed-window counter per key; Redis on Node (shared by all API processes). */
export interface RateLimiter {
  /** Counts one hit; returns the seconds to wait when over the limit, else 0. */
  hit(key: string, limitPerMinute: number): Promise<number>;
}

/** Per-tenant limit on /v1 (keyed by tenant or admin subject). */
export function rateLimit(limiter: RateLimiter, limitPerMinute: number): MiddlewareHandler<AppEnv> {
  return async function rateLimitMiddleware(c, next) {
    const p = c.get('principal');
    if (p) {
      const key = p.kind === 'tenant' ? `tenant:${p.tenantId}` : `${p.kind}:${p.subject}`;
      const wait = await limiter.hit(key, limitPerMinute);
      if (wait > 0) throw new ApiError('RATE_LIMITED', `rate limit of ${limitPerMinute} requests per minute exceeded`, { retryAfterSeconds: wait }, { 'Retry-After': String(wait) });
    }
    await next();
  };
}
