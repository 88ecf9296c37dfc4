import { eq } from 'drizzle-orm';
import type { Database } from '../store/db.ts';
import { autoscalingState, clusterTraffic, metricSamples } from '../store/schema/index.ts';

/**
 * What a deleted cluster leaves behind in the autoscaling tables: raw samples, controller state and
 * the traffic model go; the minute and hour rollups stay for reports on the cluster's history.
 */
export async function purgeAutoscalingData(database: Database, clusterId: string): Promise<void> {
  await database.atomicWrite([
    { query: database.db.delete(metricSamples).where(eq(metricSamples.clusterId, clusterId)) },
    { query: database.db.delete(autoscalingState).where(eq(autoscalingState.clusterId, clusterId)) },
    { query: database.db.delete(clusterTraffic).where(eq(clusterTraffic.clusterId, clusterId)) },
  ]);
}
