import type { PodInfo } from '../../scheduler/index.ts';
import { nodeAllocatable } from '../../lib/resources.ts';
import type { NodeGroup } from './node-groups.ts';
import type { ExpanderName } from './settings.ts';

/** What adding `nodeCount` nodes to `group` would achieve. */
export interface ScaleUpOption {
  group: NodeGroup;
  nodeCount: number;
  pods: PodInfo[];
}

/** least-waste: unused fraction of the new nodes' CPU plus that of their memory (k8s-behavior §15.2). */
export function wasteScore(o: ScaleUpOption): number {
  const alloc = nodeAllocatable(o.group.templateNode);
  const cpu = (alloc.cpu ?? 0) * o.nodeCount;
  const mem = (alloc.memory ?? 0) * o.nodeCount;
  const reqCpu = o.pods.reduce((s, p) => s + (p.requests.cpu ?? 0), 0);
  const reqMem = o.pods.reduce((s, p) => s + (p.requests.memory ?? 0), 0);
  const wasted = (cap: number, used: number) => (cap > 0 ? (cap - used) / cap : 0);
  return wasted(cpu, reqCpu) + wasted(mem, reqMem);
}

/**
 * The node size (vCPU) that suits a cluster of `nodes` nodes, after the GCE price expander's
 * preferred-node rule: small clusters prefer small machines, large ones large machines.
 */
export function preferredCpu(nodes: number): number {
  if (nodes <= 2) return 2;
  if (nodes <= 6) return 4;
  if (nodes <= 20) return 8;
  if (nodes <= 60) return 16;
  if (nodes <= 200) return 32;
  return 64;
}

/**
 * price: the cost per hour of the new nodes per pod they schedule, made worse the further the
 * node shape is from the preferred size for this cluster (half the unfitness counts).
 */
export function priceScore(o: ScaleUpOption, clusterNodes: number): number {
  if (o.group.hourlyMicroUsd === undefined || o.pods.length === 0) return Infinity;
  const cores = (nodeAllocatable(o.group.templateNode).cpu ?? 1000) / 1000;
  const preferred = preferredCpu(clusterNodes);
  const unfitness = Math.max(cores / preferred, preferred / Math.max(cores, 0.001));
  return ((o.nodeCount * o.group.hourlyMicroUsd) / o.pods.length) * (1 + (unfitness - 1) * 0.5);
}

type Scorer = (o: ScaleUpOption) => number;

function best(options: ScaleUpOption[], score: Scorer, lowerIsBetter: boolean): ScaleUpOption[] {
  const scored = options.map((o) => ({ o, s: score(o) }));
  const target = lowerIsBetter ? Math.min(...scored.map((x) => x.s)) : Math.max(...scored.map((x) => x.s));
  return scored.filter((x) => Math.abs(x.s - target) <= 1e-9 * Math.max(1, Math.abs(target))).map((x) => x.o);
}

/** Expanders that need more than the options themselves (the priority expander reads a ConfigMap). */
export interface ExpanderFilters {
  priority?: (options: ScaleUpOption[]) => ScaleUpOption[];
}

/**
 * Runs an expander chain: each narrows the options to its best ones; whatever tie remains is broken
 * uniformly at random, as every upstream expander falls back to `random`. Without its filter the
 * priority expander lets every option through.
 */
export function chooseOption(
  options: ScaleUpOption[],
  chain: ExpanderName[],
  clusterNodes: number,
  random: () => number = Math.random,
  filters: ExpanderFilters = {},
): ScaleUpOption | undefined {
  let left = options.filter((o) => o.nodeCount > 0);
  for (const name of chain) {
    if (left.length <= 1) break;
    if (name === 'priority') left = filters.priority ? filters.priority(left) : left;
    else if (name === 'least-waste') left = best(left, wasteScore, true);
    else if (name === 'most-pods') left = best(left, (o) => o.pods.length, false);
    else if (name === 'least-nodes') left = best(left, (o) => o.nodeCount, true);
    else if (name === 'price') left = best(left, (o) => priceScore(o, clusterNodes), true);
    else if (name === 'random') break;
  }
  if (left.length === 0) return undefined;
  return left[Math.min(left.length - 1, Math.floor(random() * left.length))];
}
