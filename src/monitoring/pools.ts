import type { NodeSample } from './snapshot.ts';

/** The figures of a node that add up across a pool. */
const SUMMED = ['cpuAllocatable', 'memoryAllocatable', 'cpuRequests', 'memoryRequests', 'cpuUsage', 'memoryUsage'] as const;

export type PoolTotals = { nodes: number; readyNodes: number } & Pick<NodeSample, (typeof SUMMED)[number]>;

/** Sums a pool's nodes (all nodes when `pool` is undefined). CPU in millicores, memory in bytes. */
export function poolTotals(nodes: NodeSample[], pool?: string): PoolTotals {
  const t: PoolTotals = { nodes: 0, readyNodes: 0, cpuAllocatable: 0, memoryAllocatable: 0, cpuRequests: 0, memoryRequests: 0, cpuUsage: 0, memoryUsage: 0 };
  for (const n of nodes) {
    if (pool !== undefined && n.pool !== pool) continue;
    t.nodes++;
    if (n.ready) t.readyNodes++;
    for (const k of SUMMED) t[k] += n[k];
  }
  return t;
}
