import type { Hono } from 'hono';
import { and, eq, sql } from 'drizzle-orm';
import type { Deps } from './deps.ts';
import type { ChangeFeed } from './kube/watch/feed.ts';
import { createKubeApp } from './kube/app.ts';
import type { KubeDeps } from './kube/deps.ts';
import { clusterAuthenticator } from './auth/cluster-auth.ts';
import { getCluster } from './services/clusters/internal.ts';
import { getTenant } from './services/tenants/tenants.ts';
import { planOf } from './services/tenants/plans.ts';
import { objects } from './store/schema/index.ts';
import { createMetricsApi } from './metrics/metrics-api.ts';
import { perMinute } from './lib/gcra.ts';

/** The Kubernetes API of each cluster, wired to this deployment's store, auth, limits and change feed. */
export function buildKubeApp(deps: Deps, feed: ChangeFeed, extra: Partial<KubeDeps> = {}): Hono {
  // KUBE_RATE_LIMIT_PER_MINUTE per token, bursts of a tenth of it (kubectl's discovery, an informer's relist).
  const kubeRate = perMinute(deps.config.kubeRateLimitPerMinute);
  return createKubeApp({
    store: deps.store,
    feed,
    logger: deps.log,
    authenticate: clusterAuthenticator(deps.database, deps.tokens, deps.revokedKeys),
    revokedKeys: deps.revokedKeys,
    async clusterInfo(clusterId) {
      const c = await getCluster(deps.database, clusterId);
      if (!c || c.status === 'DELETED' || c.status === 'DELETING') return undefined;
      return { tenantId: c.tenantId, kubernetesVersion: c.kubernetesVersion, status: c.status };
    },
    rateLimiter: {
      async take(key) {
        const wait = await deps.rateLimiter.hit(`kube:${key}`, kubeRate);
        return wait > 0 ? { allowed: false, retryAfterSeconds: wait } : { allowed: true };
      },
    },
    objectQuota: {
      async check(clusterId, tenantId) {
        const plan = planOf((await getTenant(deps.database, tenantId)).plan);
        const row = await deps.database.db.select({ n: sql<number>`count(*)` }).from(objects).where(and(eq(objects.clusterId, clusterId))).get();
        return { limit: plan.maxObjectsPerCluster, used: row?.n ?? 0 };
      },
    },
    metricsApi: createMetricsApi(deps.store),
    ...extra,
  });
}
