import type { Database } from '../store/db.ts';
import type { ClusterRow, NodePoolRow } from '../store/rows.ts';
import { clusterStatements } from './statements.ts';

/** A cluster by id, whatever its tenant: for workers and controllers, which act for the cluster itself. */
export async function getCluster(database: Database, clusterId: string): Promise<ClusterRow | undefined> {
  return clusterStatements(database).byId.get<ClusterRow>({ id: clusterId });
}

/** A cluster's node pools, by name. */
export async function poolsOf(database: Database, clusterId: string): Promise<NodePoolRow[]> {
  return clusterStatements(database).pools.all<NodePoolRow>({ clusterId });
}
