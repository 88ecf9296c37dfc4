import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../store/db.ts';
import type { ObjectStore } from '../../store/objects.ts';
import { clusterTime } from '../../lib/clock.ts';
import { clusters, usageIntervals } from '../../store/schema/index.ts';
import type { ClusterRow } from './internal.ts';
import { purgeAutoscalingData } from '../../autoscaling/purge.ts';
import { sampleStatements } from '../../metrics/write.ts';

/**
 * Ends a cluster: every open billing interval closes at the same cluster-clock instant as the status
 * flip to DELETED (billing stops to the second), then its objects, watch log and autoscaling data are removed. The row
 * stays, readable for billing.
 */
export async function teardownCluster(database: Database, store: ObjectStore, cluster: ClusterRow, realNow: number): Promise<void> {
  const at = clusterTime(realNow, { originMs: cluster.clockOriginMs, timeScale: cluster.timeScale, skewMs: cluster.clockSkewMs });
  await database.atomicWrite([
    {
      query: database.db
        .update(usageIntervals)
        .set({ endedAt: at })
        .where(and(eq(usageIntervals.clusterId, cluster.id), isNull(usageIntervals.endedAt))),
    },
    { query: database.db.update(clusters).set({ status: 'DELETED', deletedAt: realNow, updatedAt: realNow }).where(eq(clusters.id, cluster.id)) },
  ]);
  await store.purge(cluster.id);
  // Every usage series ends now, so the rollups count its last stretch; then the change points,
  // autoscaler state and the traffic model go too; hourly rollups stay for reports.
  await database.atomicWrite(await sampleStatements(database, cluster.id, at, []));
  await purgeAutoscalingData(database, cluster.id);
}
