import type { Database } from '../../store/db.ts';
import { clusterStatements } from '../../clusters/statements.ts';
import { ServiceError } from '../errors.ts';
import type { Provider } from '../../billing/catalog.ts';
import { upgradeSettingsOf } from '../../clusters/upgrade-settings.ts';

import type { ClusterRow, NodePoolRow } from '../../store/rows.ts';
export type { ClusterRow, NodePoolRow };
export { getCluster, poolsOf } from '../../clusters/lookups.ts';

/** Tenant-scoped lookup: another tenant's cluster is simply not found. */
export async function getClusterInTenant(database: Database, tenantId: string, clusterId: string): Promise<ClusterRow> {
  const row = await clusterStatements(database).inTenant.get<ClusterRow>({ id: clusterId, tenantId });
  if (!row) throw new ServiceError('not_found', `cluster ${clusterId} not found`);
  return row;
}

export function clusterSettings(row: ClusterRow): { labels: Record<string, string>; [k: string]: unknown } {
  const s = JSON.parse(row.settings) as Record<string, unknown>;
  return { ...s, labels: (s.labels as Record<string, string>) ?? {} };
}

/** EKS clusters enter extended support unless told not to (AWS's default); GKE and AKS stay on standard support unless enrolled. */
export function versionSupportOf(row: Pick<ClusterRow, 'provider' | 'settings'>): 'standard' | 'extended' {
  const chosen = (JSON.parse(row.settings) as { versionSupport?: 'standard' | 'extended' }).versionSupport;
  return chosen ?? (row.provider === 'eks' ? 'extended' : 'standard');
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function poolView(p: NodePoolRow, cluster: Pick<ClusterRow, 'provider' | 'kubernetesVersion'>) {
  return {
    name: p.name,
    instanceType: p.instanceType,
    count: p.count,
    minCount: p.minCount,
    maxCount: p.maxCount,
    autoscaling: p.autoscaling,
    labels: JSON.parse(p.labels) as Record<string, string>,
    taints: JSON.parse(p.taints) as { key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }[],
    version: p.version ?? cluster.kubernetesVersion,
    zones: JSON.parse(p.zones) as string[],
    capacityType: p.capacityType as 'ON_DEMAND' | 'SPOT',
    upgradeSettings: upgradeSettingsOf(cluster.provider as Provider, p),
    status: p.status as 'PROVISIONING' | 'READY' | 'RECONCILING' | 'DELETING',
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
    nodePools: pools.map((p) => poolView(p, row)),
    labels: clusterSettings(row).labels,
    versionSupport: versionSupportOf(row),
    endpoint: `${publicUrl}/clusters/${row.id}/k8s`,
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
    deletedAt: iso(row.deletedAt),
  };
}
