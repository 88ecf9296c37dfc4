import { and, eq } from 'drizzle-orm';
import type { Database } from '../../store/db.ts';
import { clusters, nodePools } from '../../store/schema/index.ts';
import { ServiceError } from '../errors.ts';

import type { ClusterRow, NodePoolRow } from '../../store/rows.ts';
export type { ClusterRow, NodePoolRow };

/** Tenant-scoped lookup: another tenant's cluster is simply not found. */
export async function getClusterInTenant(database: Database, tenantId: string, clusterId: string): Promise<ClusterRow> {
  const row = await database.db.select().from(clusters).where(and(eq(clusters.id, clusterId), eq(clusters.tenantId, tenantId))).get();
  if (!row) throw new ServiceError('not_found', `cluster ${clusterId} not found`);
  return row;
}

export async function getCluster(database: Database, clusterId: string): Promise<ClusterRow | undefined> {
  return database.db.select().from(clusters).where(eq(clusters.id, clusterId)).get();
}

export async function poolsOf(database: Database, clusterId: string): Promise<NodePoolRow[]> {
  return database.db.select().from(nodePools).where(eq(nodePools.clusterId, clusterId)).orderBy(nodePools.name).all();
}

export function clusterSettings(row: ClusterRow): { labels: Record<string, string>; [k: string]: unknown } {
  const s = JSON.parse(row.settings) as Record<string, unknown>;
  return { ...s, labels: (s.labels as Record<string, string>) ?? {} };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function poolView(p: NodePoolRow) {
  return {
    name: p.name,
    instanceType: p.instanceType,
    count: p.count,
    minCount: p.minCount,
    maxCount: p.maxCount,
    autoscaling: p.autoscaling,
    labels: JSON.parse(p.labels) as Record<string, string>,
    taints: JSON.parse(p.taints) as { key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }[],
  };
}

export function clusterView(row: ClusterRow, pools: NodePoolRow[], publicUrl: string) {
  return {
    id: row.id,
    name: row.name,
    provider: row.provider as 'eks' | 'gke' | 'aks',
    tier: row.tier,
    region: row.region,
    kubernetesVersion: row.kubernetesVersion,
    status: row.status as 'PROVISIONING' | 'RUNNING' | 'UPDATING' | 'DELETING' | 'DELETED' | 'FAILED',
    timeScale: row.timeScale,
    nodePools: pools.map(poolView),
    labels: clusterSettings(row).labels,
    endpoint: `${publicUrl}/clusters/${row.id}/k8s`,
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
    deletedAt: iso(row.deletedAt),
  };
}
