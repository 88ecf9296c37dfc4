import type { KubeObject } from '../../kube/types.ts';
import type { NodeInfo, PodInfo, Snapshot } from '../../scheduler/index.ts';
import { chooseOption, type ExpanderFilters, type ScaleUpOption } from './expanders.ts';
import { TEMPLATE_PREFIX, templateNodeInfo, type NodeGroup } from './node-groups.ts';
import type { ExpanderName } from './settings.ts';
import { addNode, firstFit, forkSnapshot, place } from './simulation.ts';

export const MAX_GROUP_SIZE_REACHED = 'max node group size reached';
export const MAX_TOTAL_NODES_REACHED = 'max cluster node count reached';
export const NOT_CHOSEN = 'another node group was chosen by the expander';
export const IN_BACKOFF = 'in backoff after failed scale-up';

export type PodOutcome = 'fits-existing-node' | 'fits-upcoming-node' | 'triggered-scale-up' | 'no-scale-up';

/** Why each pending pod will or will not get a node, per node group. */
export interface PodVerdict {
  pod: PodInfo;
  outcome: PodOutcome;
  /** The node (existing or upcoming) it fits, when it fits one. */
  node?: string;
  /** Per node group: why it cannot take the pod (absent for a group that could). */
  groups: Record<string, string>;
}

export interface ScaleUpDecision {
  group: NodeGroup;
  from: number;
  to: number;
  pods: PodInfo[];
}

export interface ScaleUpPlan {
  decision?: ScaleUpDecision;
  options: { group: string; nodeCount: number; pods: number }[];
  pods: PodVerdict[];
}

export interface ScaleUpInput {
  snapshot: Snapshot;
  /** Unschedulable pods old enough to consider. */
  pending: PodInfo[];
  groups: NodeGroup[];
  /** Nodes asked for and still booting, per group: they count as capacity already. */
  upcoming: Map<string, number>;
  /** How many more nodes the cluster may have (max-nodes-total, the tenant's quota). */
  clusterRoom: number;
  expanders: ExpanderName[];
  /** Expanders that need outside configuration (the priority expander's ConfigMap). */
  filters?: ExpanderFilters;
  /** Groups backed off after a failed scale-up: not considered until their back-off ends. */
  backedOff?: Set<string>;
  priorityClasses?: Map<string, KubeObject>;
  random?: () => number;
}

/** Bigger pods first, as the bin-packing estimator orders them. */
function bySize(a: PodInfo, b: PodInfo): number {
  const size = (p: PodInfo) => (p.requests.cpu ?? 0) / 1000 + (p.requests.memory ?? 0) / 2 ** 30;
  return size(b) - size(a) || a.name.localeCompare(b.name);
}

/** A snapshot that shares the existing nodes (left untouched) and can take new ones. */
function extend(snapshot: Snapshot): Snapshot {
  return {
    ...snapshot,
    nodes: [...snapshot.nodes],
    nodeMap: new Map(snapshot.nodeMap),
    nominated: new Map(snapshot.nominated),
    memo: new Map(),
    assumeHooks: [],
  };
}

/**
 * Bin-packing estimate for one group: place the pods, largest first, on new template nodes
 * (first fit), opening a node when none fits, up to `limit` nodes.
 */
function estimate(
  group: NodeGroup,
  pods: PodInfo[],
  base: Snapshot,
  limit: number,
  reasons: Map<string, Record<string, string>>,
  priorityClasses?: Map<string, KubeObject>,
): ScaleUpOption {
  const snap = extend(base);
  const probe = templateNodeInfo(group, 0, priorityClasses);
  addNode(snap, probe);
  const fitting: PodInfo[] = [];
  for (const pod of pods) {
    const r = firstFit(pod, [probe], snap);
    if (r.node) fitting.push(pod);
    else reasons.get(pod.uid)![group.name] = r.status?.reasons.join(', ') || 'does not fit a new node';
  }
  const opened: NodeInfo[] = [];
  const placed: PodInfo[] = [];
  for (const pod of fitting.sort(bySize)) {
    const onOpen = firstFit(pod, opened, snap);
    if (onOpen.node) {
      place(snap, pod, onOpen.node.name);
      placed.push(pod);
      continue;
    }
    if (opened.length >= limit) {
      reasons.get(pod.uid)![group.name] = MAX_GROUP_SIZE_REACHED;
      continue;
    }
    const fresh = opened.length === 0 ? probe : templateNodeInfo(group, opened.length, priorityClasses);
    if (fresh !== probe) addNode(snap, fresh);
    const r = firstFit(pod, [fresh], snap);
    if (!r.node) {
      reasons.get(pod.uid)![group.name] = r.status?.reasons.join(', ') || 'does not fit a new node';
      continue;
    }
    opened.push(fresh);
    place(snap, pod, fresh.name);
    placed.push(pod);
  }
  return { group, nodeCount: opened.length, pods: placed };
}

/**
 * One scale-up decision (cluster-autoscaler's ScaleUp): pending pods that fit existing or booting
 * nodes need nothing; for the rest every group below its max is simulated with its template node
 * and the scheduler's filters, bin-packed, and the expander picks one option. Pure.
 */
export function planScaleUp(input: ScaleUpInput): ScaleUpPlan {
  const upcomingNodes: NodeInfo[] = [];
  for (const g of input.groups) {
    for (let i = 0; i < (input.upcoming.get(g.name) ?? 0); i++) {
      const ni = templateNodeInfo(g, i, input.priorityClasses);
      ni.name = `${TEMPLATE_PREFIX}${g.name}-upcoming-${i}`;
      upcomingNodes.push(ni);
    }
  }
  const work = forkSnapshot(input.snapshot, { add: upcomingNodes });
  const verdicts: PodVerdict[] = [];
  const remaining: PodInfo[] = [];
  const ordered = [...input.pending].sort((a, b) => b.priority - a.priority || a.startTimeMs - b.startTimeMs || a.name.localeCompare(b.name));
  for (const pod of ordered) {
    const fit = firstFit(pod, work.nodes, work);
    if (fit.node) {
      place(work, pod, fit.node.name);
      const upcoming = fit.node.name.startsWith(TEMPLATE_PREFIX);
      verdicts.push({ pod, outcome: upcoming ? 'fits-upcoming-node' : 'fits-existing-node', node: upcoming ? undefined : fit.node.name, groups: {} });
    } else remaining.push(pod);
  }

  const reasons = new Map(remaining.map((p) => [p.uid, {} as Record<string, string>]));
  const options: ScaleUpOption[] = [];
  for (const group of input.groups) {
    if (input.backedOff?.has(group.name)) {
      for (const p of remaining) reasons.get(p.uid)![group.name] = IN_BACKOFF;
      continue;
    }
    const room = Math.min(group.maxSize - group.targetSize, input.clusterRoom);
    if (room <= 0) {
      const why = group.maxSize - group.targetSize <= 0 ? MAX_GROUP_SIZE_REACHED : MAX_TOTAL_NODES_REACHED;
      for (const p of remaining) reasons.get(p.uid)![group.name] = why;
      continue;
    }
    if (remaining.length === 0) continue;
    const option = estimate(group, remaining, work, room, reasons, input.priorityClasses);
    if (option.nodeCount > 0) options.push(option);
  }
  const clusterNodes = input.snapshot.nodes.length + upcomingNodes.length;
  const chosen = chooseOption(options, input.expanders, clusterNodes, input.random, input.filters);
  const helped = new Set(chosen?.pods.map((p) => p.uid) ?? []);
  for (const pod of remaining) {
    const groups = reasons.get(pod.uid)!;
    if (helped.has(pod.uid)) {
      verdicts.push({ pod, outcome: 'triggered-scale-up', groups });
      continue;
    }
    for (const o of options) if (o !== chosen && o.pods.some((p) => p.uid === pod.uid)) groups[o.group.name] = NOT_CHOSEN;
    verdicts.push({ pod, outcome: 'no-scale-up', groups });
  }
  return {
    decision: chosen ? { group: chosen.group, from: chosen.group.targetSize, to: chosen.group.targetSize + chosen.nodeCount, pods: chosen.pods } : undefined,
    options: options.map((o) => ({ group: o.group.name, nodeCount: o.nodeCount, pods: o.pods.length })),
    pods: verdicts,
  };
}

/** "pod didn't trigger scale-up: 1 Insufficient cpu, 1 max node group size reached" (reasons counted over groups). */
export function notTriggeredMessage(verdict: PodVerdict): string {
  const counts = new Map<string, number>();
  for (const reason of Object.values(verdict.groups)) for (const r of reason.split(', ')) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([r, n]) => `${n} ${r}`);
  return `pod didn't trigger scale-up: ${parts.join(', ')}`;
}

export function triggeredMessage(d: ScaleUpDecision): string {
  return `pod triggered scale-up: [{${d.group.name} ${d.from}->${d.to} (max: ${d.group.maxSize})}]`;
}
