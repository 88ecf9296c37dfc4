import { MAX_NODE_SCORE, unschedulable, type FilterPlugin, type ScorePlugin } from '../plugin.ts';
import type { NodeInfo, PodInfo } from '../types.ts';

/** Resources compared one by one, in the order Kubernetes reports them. */
const NATIVE = ['cpu', 'memory', 'ephemeral-storage'];
const NOT_SCALAR = new Set([...NATIVE, 'pods', 'storage']);

/** The pod's non-zero requests in the order Kubernetes checks them: cpu, memory, ephemeral-storage, then the rest by name. */
function requestList(pod: PodInfo): [string, number][] {
  const scalars = Object.keys(pod.requests)
    .filter((r) => !NOT_SCALAR.has(r))
    .sort();
  return [...NATIVE, ...scalars].filter((r) => (pod.requests[r] ?? 0) > 0).map((r) => [r, pod.requests[r]]);
}

/** The reasons a pod does not fit a node's free allocatable resources (empty when it fits). */
export function insufficientResources(pod: PodInfo, node: NodeInfo, requests: [string, number][] = requestList(pod)): string[] {
  const reasons: string[] = [];
  if (node.pods.length + 1 > (node.allocatable.pods ?? 0)) reasons.push('Too many pods');
  for (const [r, want] of requests) {
    if (want > (node.allocatable[r] ?? 0) - (node.requested[r] ?? 0)) reasons.push(`Insufficient ${r}`);
  }
  return reasons;
}

const KEY = 'NodeResourcesFit/requests';

/** Requests (not usage) of the pod plus the pods on the node must fit allocatable, and a pod slot must be free. */
export const nodeResourcesFitFilter: FilterPlugin = {
  name: 'NodeResourcesFit',
  preFilter(state, pod) {
    state.write(KEY, requestList(pod));
  },
  filter(state, pod, node) {
    const reasons = insufficientResources(pod, node, state.read<[string, number][]>(KEY));
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
