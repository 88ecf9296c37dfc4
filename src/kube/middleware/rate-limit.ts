import type { MiddlewareHandler } from 'hono';
import type { KubeDeps } from '../deps.ts';
import { tooManyRequests } from '../status.ts';
import type { KubeEnv } from './env.ts';

/**
 * Spends one request of the token's budget (per cluster and token subject); past it, 429 with
 * Retry-After. It runs before the cluster is looked up, so a flood costs no query.
 */
export function rateLimit(deps: KubeDeps): MiddlewareHandler<KubeEnv> {
  return async function kubeRateLimit(c, next) {
    if (deps.rateLimiter) {
      const r = await deps.rateLimiter.take(`${c.req.param('clusterId') ?? ''}:${c.get('caller').subject}`);
      if (!r.allowed) throw tooManyRequests('Too many requests, please try again later.', r.retryAfterSeconds ?? 1);
    }
    await next();
  };
}
