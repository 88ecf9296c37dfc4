import type { Context, MiddlewareHandler } from 'hono';
import type { ClusterPrincipal } from '../../auth/principal.ts';
import { asUnavailable } from '../../lib/unavailable.ts';
import type { KubeDeps } from '../deps.ts';
import { unauthorized } from '../status.ts';
import type { KubeEnv } from './env.ts';

/**
 * The principal of the request's bearer token for the cluster in the path. Every refusal (no token,
 * a bad one, another cluster's, a revoked key's) is the same 401, so the answer tells nothing about
 * the cluster; an outage behind the check (Redis, the database) stays a 503.
 */
export async function verifyClusterToken(deps: KubeDeps, c: Context): Promise<ClusterPrincipal> {
  try {
    return await deps.authenticate(c.req.header('authorization'), c.req.param('clusterId') ?? '');
  } catch (err) {
    if (asUnavailable(err)) throw err;
    throw unauthorized();
  }
}

/** Sets `caller` from the bearer token; without a valid one the request ends with 401. */
export function authenticate(deps: KubeDeps): MiddlewareHandler<KubeEnv> {
  return async function kubeAuthenticate(c, next) {
    c.set('caller', await verifyClusterToken(deps, c));
    await next();
  };
}
