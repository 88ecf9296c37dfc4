import type { NodePoolRow } from '../../store/rows.ts';
import type { NodePoolSpec } from './inputs.ts';

/** The row a new pool is stored as, at the control plane's version (a cluster's first pools and pools added later alike). */
export function newPoolRow(clusterId: string, spec: NodePoolSpec, version: string, status: 'READY' | 'PROVISIONING'): NodePoolRow {
  return {
    clusterId,
    name: spec.name,
    instanceType: spec.instanceType,
    count: spec.count,
    minCount: spec.minCount ?? spec.count,
    maxCount: spec.maxCount ?? spec.count,
    autoscaling: spec.autoscaling,
    labels: JSON.stringify(spec.labels),
    taints: JSON.stringify(spec.taints),
    version,
    zones: JSON.stringify(spec.zones ?? []),
    capacityType: spec.capacityType,
    maxSurge: spec.upgradeSettings?.maxSurge ?? null,
    maxUnavailable: spec.upgradeSettings?.maxUnavailable ?? null,
    status,
  };
}
