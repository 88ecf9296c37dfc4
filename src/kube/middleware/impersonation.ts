import type { MiddlewareHandler } from 'hono';
import type { KubeDeps } from '../deps.ts';
import { impersonate } from '../auth/impersonate.ts';
import type { KubeEnv } from './env.ts';

/**
 * Impersonate-* headers: once RBAC allows the caller to impersonate, the rest of the request runs
 * as the impersonated user (`caller` is replaced). It needs the cluster's RBAC, so it runs last.
 */
export function impersonation(deps: KubeDeps): MiddlewareHandler<KubeEnv> {
  return async function kubeImpersonation(c, next) {
    const clusterId = c.req.param('clusterId') ?? '';
    c.set('caller', await impersonate({ deps, clusterId, principal: c.get('caller') }, c.req.raw.headers));
    await next();
  };
}
