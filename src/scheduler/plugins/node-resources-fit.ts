import { MAX_NODE_SCORE, unschedulable, type FilterPlugin, type ScorePlugin } from '../plugin.ts';
import type { NodeInfo, PodInfo } from '../types.ts';

/** Resources compared one by one, in the order Kubernetes reports them. */
const NATIVE = ['cpu', 'memory', 'ephemeral-storage'];
const NOT_SCALAR = new Set([...NATIVE, 'pods', 'storage']);

/** The reasons a pod does not fit a node's free allocatable resources (empty when it fits). */
export function insufficientResources(pod: PodInfo, node: NodeInfo): string[] {
  const reasons: string[] = [];
  if (node.pods.length + 1 > (node.allocatable.pods ?? 0)) reasons.push('Too many pods');
  for (const r of NATIVE) {
    const want = pod.requests[r] ?? 0;
    if (want > 0 && want > (node.allocatable[r] ?? 0) - (node.requested[r] ?? 0)) reasons.push(`Insufficient ${r}`);
  }
  const scalars = Object.keys(pod.requests).filter((r) => !NOT_SCALAR.has(r)).sort();
  for (const r of scalars) {
    const want = pod.requests[r];
    if (want > 0 && want > (node.allocatable[r] ?? 0) - (node.requested[r] ?? 0)) reasons.push(`Insufficient ${r}`);
  }
  return reasons;
}

/** Requests (not usage) of the pod plus the pods on the node must fit allocatable, and a pod slot must be free. */
export const nodeResourcesFitFilter: FilterPlugin = {
  name: 'NodeResourcesFit',
  filter(_state, pod, node) {
    const reasons = insufficientResources(pod, node);
    return reasons.length ? unschedulable(...reasons) : null;
  },
};

/** `(allocatable − requested) × 100 / allocatable`, 0 when over-committed or nothing is allocatable. */
export function leastRequestedScore(requested: number, allocatable: number): number {
  if (allocatable === 0 || requested > allocatable) return 0;
  return Math.trunc(((allocatable - requested) * MAX_NODE_SCORE) / allocatable);
}

/**
 * LeastAllocated (the default strategy): cpu and memory, weight 1 each, counting containers with no
 * request as 100m / 200Mi so empty pods still spread.
 */
export const nodeResourcesFitScore: ScorePlugin = {
  name: 'NodeResourcesFit',
  score(_state, pod, node) {
    const resources: [number, number][] = [
      [node.nonZeroCpu + pod.nonZeroCpu, node.allocatable.cpu ?? 0],
      [node.nonZeroMemory + pod.nonZeroMemory, node.allocatable.memory ?? 0],
    ];
    let sum = 0;
    let weights = 0;
    for (const [requested, allocatable] of resources) {
      if (allocatable === 0) continue;
      sum += leastRequestedScore(requested, allocatable);
      weights += 1;
    }
    return weights === 0 ? 0 : Math.trunc(sum / weights);
  },
};
