import type { NodeSample } from './snapshot.ts';

export interface PoolTotals {
  nodes: number;
  readyNodes: number;
  cpuAllocatable: number;
  memoryAllocatable: number;
  cpuRequests: number;
  memoryRequests: number;
  cpuUsage: number;
  memoryUsage: number;
}

/** Sums a pool's nodes (all nodes when `pool` is undefined). CPU in millicores, memory in bytes. */
export function poolTotals(nodes: NodeSample[], pool?: string): PoolTotals {
  const t: PoolTotals = { nodes: 0, readyNodes: 0, cpuAllocatable: 0, memoryAllocatable: 0, cpuRequests: 0, memoryRequests: 0, cpuUsage: 0, memoryUsage: 0 };
  for (const n of nodes) {
    if (pool !== undefined && n.pool !== pool) continue;
    t.nodes++;
    if (n.ready) t.readyNodes++;
    t.cpuAllocatable += n.cpuAllocatable;
    t.memoryAllocatable += n.memoryAllocatable;
    t.cpuRequests += n.cpuRequests;
    t.memoryRequests += n.memoryRequests;
    t.cpuUsage += n.cpuUsage;
    t.memoryUsage += n.memoryUsage;
  }
  return t;
}
