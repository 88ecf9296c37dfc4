import { eq } from 'drizzle-orm';
import type { ObjectStore } from '../store/objects.ts';
import { clusters } from '../store/schema/index.ts';

/** What controllers need to know about the cluster itself (which cloud it mimics, whom to bill). */
export interface ClusterFacts {
  tenantId: string;
  provider: string;
  region: string;
}

// A cluster's tenant, provider and region never change, so one read per worker is enough.
const cache = new Map<string, ClusterFacts>();

export async function clusterFacts(store: ObjectStore, clusterId: string): Promise<ClusterFacts> {
  const hit = cache.get(clusterId);
  if (hit) return hit;
  const row = await store.database.db
    .select({ tenantId: clusters.tenantId, provider: clusters.provider, region: clusters.region })
    .from(clusters)
    .where(eq(clusters.id, clusterId))
    .get();
  const facts = row ?? { tenantId: '', provider: 'eks', region: 'us-east-1' };
  if (row) {
    if (cache.size > 10_000) cache.clear();
    cache.set(clusterId, facts);
  }
  return facts;
}
