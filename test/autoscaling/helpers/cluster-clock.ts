import { eq, sql } from 'drizzle-orm';
import type { Harness } from '../../helpers/harness.ts';
import { clusters } from '../../../src/store/schema/index.ts';
import { controllers } from '../../../src/controllers/registry.ts';

/**
 * Moves a running cluster's clock forward by `ms` of cluster time (its `clock_skew_ms`) and wakes
 * every controller of that cluster, so windows of minutes pass without waiting for them.
 */
export async function advanceClusterClock(h: Harness, clusterId: string, ms: number): Promise<void> {
  const { database } = h.runtime.deps;
  await database.atomicWrite([
    {
      query: database.db
        .update(clusters)
        .set({ clockSkewMs: sql`${clusters.clockSkewMs} + ${Math.round(ms)}` })
        .where(eq(clusters.id, clusterId)),
    },
  ]);
  for (const c of controllers) await h.runtime.transport.enqueueReconcile(clusterId, c.name);
}

/** The cluster's clock now (cluster-time epoch ms). */
export function clusterNow(h: Harness, clusterId: string): Promise<number> {
  return h.runtime.deps.store.clusterNow(clusterId);
}
