import { cloneNodeInfo, defaultProfile, runFilters, runPreFilter, assumePod } from '../../scheduler/index.ts';
import type { NodeInfo, PodInfo, Snapshot, Status } from '../../scheduler/index.ts';

/**
 * A copy of the snapshot whose node infos can be changed freely (simulated placements and
 * removals), optionally with extra nodes (a group's template nodes) and without some nodes.
 */
export function forkSnapshot(snapshot: Snapshot, opts: { add?: NodeInfo[]; remove?: Set<string> } = {}): Snapshot {
  const nodes = snapshot.nodes.filter((n) => !opts.remove?.has(n.name)).map(cloneNodeInfo);
  nodes.push(...(opts.add ?? []));
  return {
    ...snapshot,
    nodes,
    nodeMap: new Map(nodes.map((n) => [n.name, n])),
    nominated: new Map(snapshot.nominated),
    memo: new Map(),
    assumeHooks: [],
  };
}

/** Adds a node to a forked snapshot (a new template node during bin-packing). */
export function addNode(snapshot: Snapshot, node: NodeInfo): void {
  snapshot.nodes.push(node);
  snapshot.nodeMap.set(node.name, node);
  snapshot.memo.clear();
  snapshot.assumeHooks.length = 0;
}

/** Removes a node from a forked snapshot (a node the simulation drains). */
export function dropNode(snapshot: Snapshot, name: string): void {
  const i = snapshot.nodes.findIndex((n) => n.name === name);
  if (i >= 0) snapshot.nodes.splice(i, 1);
  snapshot.nodeMap.delete(name);
  snapshot.memo.clear();
  snapshot.assumeHooks.length = 0;
}

/**
 * The first of `candidates` where the scheduler's filters accept the pod, with PreFilter run once.
 * Otherwise the rejection of the last node tried (or of PreFilter), for explanations.
 */
export function firstFit(pod: PodInfo, candidates: NodeInfo[], snapshot: Snapshot): { node?: NodeInfo; status?: Status } {
  const pre = runPreFilter(defaultProfile, pod, snapshot);
  if (pre.status) return { status: pre.status };
  let last: Status | undefined;
  for (const node of candidates) {
    if (pre.nodeNames && !pre.nodeNames.has(node.name)) continue;
    const status = runFilters(defaultProfile, pre.state, pod, node, snapshot);
    if (!status) return { node };
    last = status;
  }
  return { status: last };
}

/** Records a simulated placement on a node of a forked snapshot. */
export function place(snapshot: Snapshot, pod: PodInfo, node: string): void {
  assumePod(snapshot, pod, node);
}
