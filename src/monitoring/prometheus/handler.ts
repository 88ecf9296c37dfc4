import { Hono, type Context, type Env } from 'hono';
import type { ObjectStore } from '../../store/objects.ts';
import type { ClusterPrincipal } from '../../auth/principal.ts';
import { getCluster } from '../../clusters/lookups.ts';
import type { MetricFamily } from './families.ts';
import { clusterMetricFamilies } from './cluster-metrics.ts';

/** Serializes families in the Prometheus text format (prom-client on Node). */
export type MetricsRenderer = (families: MetricFamily[]) => Promise<{ contentType: string; body: string }>;

export interface KubeMetricsDeps {
  store: ObjectStore;
  /** The cluster-token check of the cluster's Kubernetes API; throws when the token is missing or wrong. */
  authenticate(authorization: string | undefined, clusterId: string): Promise<ClusterPrincipal>;
  render: MetricsRenderer;
}

const status = (c: Context, code: number, reason: string, message: string) =>
  c.json({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }, code as 401);

/**
 * `GET /clusters/{id}/k8s/metrics`: what Prometheus would scrape from kube-state-metrics and the
 * nodes of this cluster, behind the same token as its Kubernetes API. Namespace-limited tokens see
 * their namespaces' series only.
 */
export function kubeMetricsHandler(deps: KubeMetricsDeps) {
  return async function kubeMetrics(c: Context): Promise<Response> {
    const clusterId = c.req.param('clusterId') ?? '';
    let principal: ClusterPrincipal;
    try {
      principal = await deps.authenticate(c.req.header('authorization'), clusterId);
    } catch {
      c.header('WWW-Authenticate', 'Bearer');
      return status(c, 401, 'Unauthorized', 'Unauthorized');
    }
    const cluster = await getCluster(deps.store.database, clusterId);
    if (!cluster || cluster.status === 'DELETED') return status(c, 404, 'NotFound', `cluster ${clusterId} not found`);
    const families = await clusterMetricFamilies(deps.store, clusterId, await deps.store.clusterNow(clusterId), { namespaces: principal.namespaces });
    const out = await deps.render(families);
    return c.body(out.body, 200, { 'Content-Type': out.contentType, 'Cache-Control': 'no-store' });
  };
}

/** Mounted at the root, ahead of the Kubernetes API's catch-all (in the app's own Hono env). */
export function kubeMetricsRouter<E extends Env>(deps: KubeMetricsDeps): Hono<E> {
  const app = new Hono<E>();
  app.get('/clusters/:clusterId/k8s/metrics', kubeMetricsHandler(deps));
  return app;
}
