import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';
import type { AppEnv } from '../env.ts';
import { perMinute, type Rate } from '../../lib/gcra.ts';
import { reservedBudget } from './reserved-budget.ts';

/** A GCRA budget per key (src/lib/gcra.ts), shared by every API process: Redis on Node, D1 on Workers. */
export interface RateLimiter {
  /**
   * Spends `cost` requests of the key's budget (a negative cost gives them back); returns the
   * seconds to wait when refused (nothing is spent then), else 0.
   */
  hit(key: string, rate: Rate, cost?: number): Promise<number>;
  /** False while the shared store is known to be out of reach (then `hit` fails fast). */
  available?(): boolean;
}

/** Per-tenant limit on /v1 (keyed by tenant or admin subject). */
export function rateLimit(limiter: RateLimiter, limitPerMinute: number): MiddlewareHandler<AppEnv> {
  const rate = perMinute(limitPerMinute);
  return async function rateLimitMiddleware(c, next) {
    const p = c.get('principal');
    if (p) {
      const key = p.kind === 'tenant' ? `tenant:${p.tenantId}` : `${p.kind}:${p.subject}`;
      const wait = await reservedBudget(limiter).hit(key, rate);
      if (wait > 0)
        throw new ApiError(
          'RATE_LIMITED',
          `rate limit of ${limitPerMinute} requests per minute exceeded`,
          { retryAfterSeconds: wait },
          { 'Retry-After': String(wait) },
        );
    }
    await next();
  };
}
