import type { Context, MiddlewareHandler } from 'hono';
import type { ClusterInfo, KubeDeps } from '../deps.ts';
import { failure } from '../status.ts';
import type { KubeEnv } from './env.ts';

/** The cluster the path names; 404 when it does not exist (or is being deleted). */
export async function findCluster(deps: KubeDeps, c: Context): Promise<ClusterInfo> {
  const clusterId = c.req.param('clusterId') ?? '';
  const cluster = await deps.clusterInfo(clusterId);
  if (!cluster) throw failure(404, 'NotFound', `cluster "${clusterId}" not found`, {});
  return cluster;
}

/**
 * Sets `cluster`. It runs after the token check: a caller without this cluster's token gets the
 * same 401 whether or not it exists, so only the cluster's own tenant learns that it was deleted.
 */
export function loadCluster(deps: KubeDeps): MiddlewareHandler<KubeEnv> {
  return async function kubeCluster(c, next) {
    c.set('cluster', await findCluster(deps, c));
    await next();
  };
}
