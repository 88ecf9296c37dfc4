import type { Hono } from 'hono';
import type { Deps } from './deps.ts';
import type { ChangeFeed } from './kube/watch/feed.ts';
import { createKubeApp } from './kube/app.ts';
import type { KubeDeps } from './kube/deps.ts';
import { clusterAuthenticator } from './auth/cluster-auth.ts';
import { ServiceAccountTokens } from './auth/service-account-tokens.ts';
import { getCluster } from './services/clusters/internal.ts';
import { planObjectQuota } from './services/tenants/object-quota.ts';
import { createMetricsApi } from './metrics/metrics-api.ts';
import { perMinute } from './lib/gcra.ts';
import { reservedBudget } from './api/middleware/reserved-budget.ts';
import { ServiceError, type ServiceErrorCode } from './services/errors.ts';
import { failure, type KubeError } from './kube/status.ts';

const kubeReasons: Record<ServiceErrorCode, [number, string]> = {
  not_found: [404, 'NotFound'],
  conflict: [409, 'Conflict'],
  invalid: [422, 'Invalid'],
  quota_exceeded: [403, 'Forbidden'],
  forbidden: [403, 'Forbidden'],
  unavailable: [503, 'ServiceUnavailable'],
};

/** A service's refusal as the Status a Kubernetes client understands; anything else passes through. */
export function kubeStatusOf(err: unknown): unknown {
  if (!(err instanceof ServiceError)) return err;
  const [code, reason] = kubeReasons[err.code];
  return failure(code, reason, err.message) satisfies KubeError;
}

/** The Kubernetes API of each cluster, wired to this deployment's store, auth, limits and change feed. */
export function buildKubeApp(deps: Deps, feed: ChangeFeed, extra: Partial<KubeDeps> = {}): Hono {
  // KUBE_RATE_LIMIT_PER_MINUTE per token, bursts of a tenth of it (kubectl's discovery, an informer's relist).
  const kubeRate = perMinute(deps.config.kubeRateLimitPerMinute);
  const serviceAccountTokens = new ServiceAccountTokens(deps.keys, deps.config.issuer, deps.store);
  return createKubeApp({
    store: deps.store,
    feed,
    logger: deps.log,
    authenticate: clusterAuthenticator(deps.database, deps.tokens, deps.revokedKeys, serviceAccountTokens),
    serviceAccountTokens,
    revokedKeys: deps.revokedKeys,
    async clusterInfo(clusterId) {
      const c = await getCluster(deps.database, clusterId);
      if (!c || c.status === 'DELETED' || c.status === 'DELETING') return undefined;
      return { tenantId: c.tenantId, kubernetesVersion: c.kubernetesVersion, status: c.status };
    },
    rateLimiter: {
      async take(key) {
        const wait = await reservedBudget(deps.rateLimiter).hit(`kube:${key}`, kubeRate);
        return wait > 0 ? { allowed: false, retryAfterSeconds: wait } : { allowed: true };
      },
    },
    objectQuota: planObjectQuota(deps.database),
    // The API's error handler answers a service's refusal (the plan's object quota) with this Status.
    translateError: kubeStatusOf,
    metricsApi: createMetricsApi(deps.store),
    ...extra,
  });
}
