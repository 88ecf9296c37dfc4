import type { MiddlewareHandler } from 'hono';
import { every } from 'hono/combine';
import type { KubeDeps } from '../deps.ts';
import type { KubeEnv } from './env.ts';
import { authenticate } from './authenticate.ts';
import { rateLimit } from './rate-limit.ts';
import { loadCluster } from './cluster.ts';
import { impersonation } from './impersonation.ts';

/**
 * What every cluster route needs before its handler, in this order: the token (so nothing below
 * answers an anonymous caller differently), the token's budget, the cluster, impersonation.
 * Routes take it one by one rather than by a path pattern, so paths the API does not serve stay
 * a 404 for anyone, as before.
 */
export function clusterAccess(deps: KubeDeps): MiddlewareHandler<KubeEnv> {
  return every(authenticate(deps), rateLimit(deps), loadCluster(deps), impersonation(deps));
}
