import { eq } from 'drizzle-orm';
import type { Database } from '../../store/db.ts';
import type { PodLimit } from '../../store/pod-limit.ts';
import { clusters, tenants } from '../../store/schema/index.ts';
import { planOf } from '../../clusters/plans.ts';

/** A tenant's plan does not change under a running flood; reading it once a minute per cluster is plenty. */
const TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

/**
 * Each cluster's pod bound from its tenant's plan (`maxPodsPerCluster`), remembered for a minute so
 * a commit that creates pods does not read the tenant each time. A cluster without a tenant row
 * (worlds built straight in the store) has no bound.
 */
export function planPodLimit(database: Database): PodLimit {
  const cache = new Map<string, { limit: number | undefined; at: number }>();
  return async (clusterId) => {
    const hit = cache.get(clusterId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.limit;
    const row = await database.db
      .select({ plan: tenants.plan })
      .from(clusters)
      .innerJoin(tenants, eq(tenants.id, clusters.tenantId))
      .where(eq(clusters.id, clusterId))
      .get();
    const limit = row ? planOf(row.plan).maxPodsPerCluster : undefined;
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(clusterId, { limit, at: Date.now() });
    return limit;
  };
}
