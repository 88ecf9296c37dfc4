import { findInstanceType, type Provider } from '../catalog.ts';
import type { UsageInterval } from '../intervals.ts';
import { priceUnderEveryOption, type PricedResult } from './price-under.ts';

const HOUR_MS = 3_600_000;
const GiB = 2 ** 30;

export interface EstimateSpec {
  provider: Provider;
  region: string;
  /** Regional (multi-zone control plane) clusters do not get GKE's free tier. */
  regional?: boolean;
  nodePools: Array<{ instanceType: string; count: number }>;
  /** Default 730, the month all three providers' calculators use. */
  hours?: number;
  volumes?: Array<{ sizeGiB: number; storageClass?: string; count?: number }>;
  loadBalancers?: number;
  /** Pod requests, for Autopilot; without them Autopilot is priced as if pods requested every node's capacity. */
  workloads?: Array<{ name: string; replicas: number; cpuMilli: number; memoryBytes: number }>;
}

export interface Estimate {
  hours: number;
  results: PricedResult[];
}

/**
 * What a planned cluster would cost under every provider and tier, before anything exists: the spec
 * becomes the intervals it would record, priced like recorded usage. 3 × m5.large on EKS standard for
 * 730 h = 730 × (0.10 + 3 × 0.096) = $283.24.
 */
export function estimate(spec: EstimateSpec, startMs: number): Estimate {
  const hours = spec.hours ?? 730;
  const end = startMs + Math.round(hours * HOUR_MS);
  const intervals: UsageInterval[] = [];
  let n = 0;
  const add = (kind: UsageInterval['kind'], subject: string, attributes: object) =>
    intervals.push({ id: `est_${++n}`, tenantId: '', clusterId: 'estimate', kind, subject, attributes: attributes as never, startedAt: startMs, endedAt: end });

  add('cluster', 'estimate', { provider: spec.provider, tier: '', region: spec.region, regional: spec.regional === true });
  spec.nodePools.forEach((pool, p) => {
    for (let i = 0; i < pool.count; i++) add('node', `pool-${p}-node-${i}`, { instanceType: pool.instanceType });
  });
  (spec.volumes ?? []).forEach((v, i) => {
    for (let c = 0; c < (v.count ?? 1); c++) add('volume', `volume-${i}-${c}`, { sizeBytes: Math.round(v.sizeGiB * GiB), storageClass: v.storageClass });
  });
  for (let i = 0; i < (spec.loadBalancers ?? 0); i++) add('loadbalancer', `lb-${i}`, { namespace: 'default', name: `lb-${i}` });
  for (const pod of podsFor(spec)) add('pod', `default/${pod.name}`, { namespace: 'default', ...pod });

  const results = priceUnderEveryOption(intervals, { provider: spec.provider, region: spec.region }, startMs, end, { freeTier: 'prorated' });
  if (!spec.workloads) {
    for (const r of results) if (r.tier === 'autopilot') r.notes.push('No workloads given: pods are assumed to request the full capacity of the node pools.');
  }
  return { hours, results };
}

function podsFor(spec: EstimateSpec): Array<{ name: string; cpuMilli: number; memoryBytes: number }> {
  if (spec.workloads) {
    return spec.workloads.flatMap((w) =>
      Array.from({ length: w.replicas }, (_, i) => ({ name: `${w.name}-${i}`, cpuMilli: w.cpuMilli, memoryBytes: w.memoryBytes })),
    );
  }
  return spec.nodePools.flatMap((pool, p) => {
    const type = findInstanceType(spec.provider, pool.instanceType);
    if (!type) return [];
    return Array.from({ length: pool.count }, (_, i) => ({ name: `pool-${p}-capacity-${i}`, cpuMilli: type.vcpu * 1000, memoryBytes: type.memoryGiB * GiB }));
  });
}
