import { MAX_NODE_SCORE, type ScorePlugin } from '../plugin.ts';

/**
 * Favours nodes whose cpu and memory would be used in equal proportion: 100 × (1 − std of the
 * requested/allocatable fractions). Counts real requests (no 100m / 200Mi defaults) and skips
 * BestEffort pods, as NodeResourcesBalancedAllocation does.
 */
export const balancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  preScore(_state, pod) {
    return pod.bestEffort ? 'skip' : undefined;
  },
  score(_state, pod, node) {
    const cpu = node.allocatable.cpu ?? 0;
    const mem = node.allocatable.memory ?? 0;
    const fractions: number[] = [];
    if (cpu > 0) fractions.push(Math.min(1, ((node.requested.cpu ?? 0) + (pod.requests.cpu ?? 0)) / cpu));
    if (mem > 0) fractions.push(Math.min(1, ((node.requested.memory ?? 0) + (pod.requests.memory ?? 0)) / mem));
    return Math.trunc((1 - standardDeviation(fractions)) * MAX_NODE_SCORE);
  },
};

export function standardDeviation(fractions: number[]): number {
  if (fractions.length < 2) return 0;
  if (fractions.length === 2) return Math.abs((fractions[0] - fractions[1]) / 2);
  const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
  return Math.sqrt(fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length);
}
