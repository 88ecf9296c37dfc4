import type { NodeCondition } from '../../kube/objects.ts';
import type { KubeObject } from '../../kube/types.ts';
import { podRequests, nodeAllocatable } from '../../lib/resources.ts';
import { computePodInfo, type Snapshot } from '../../scheduler/index.ts';
import type { Budget } from '../pdb.ts';
import { pdbSelects } from '../../kube/admission/disruption.ts';
import { isDaemonSetPod } from '../../kube/evict.ts';
import { drainNode, SCALE_DOWN_DISABLED, type BlockingPod, type DrainOptions } from './drain.ts';
import { poolOfNode, type NodeGroup } from './node-groups.ts';
import { dropNode, firstFit, forkSnapshot, place } from './simulation.ts';

export type NodeReason =
  | 'Unneeded'
  | 'NotAutoscaled'
  | 'BeingDeleted'
  | 'ScaleDownDisabledAnnotation'
  | 'NotUnderutilized'
  | 'NodeGroupMinSizeReached'
  | 'NoPlaceToMovePods'
  | BlockingPod['reason'];

/** Whether a node could go, and why not. */
export interface NodeVerdict {
  node: string;
  group?: string;
  ready: boolean;
  /** Requests over allocatable, the larger of cpu and memory counts. */
  utilization: { cpu: number; memory: number };
  unneeded: boolean;
  reason: NodeReason;
  message: string;
  blockingPod?: string;
  /** Pods that would be evicted and rescheduled (namespace/name). */
  podsToMove: string[];
}

export interface ScaleDownInput {
  snapshot: Snapshot;
  nodes: KubeObject[];
  podsByNode: Map<string, KubeObject[]>;
  groups: NodeGroup[];
  /** Nodes being drained or deleted already. */
  deleting: Set<string>;
  budgets: Budget[];
  threshold: number;
  ignoreDaemonSetsUtilization: boolean;
  drain: DrainOptions;
  priorityClasses?: Map<string, KubeObject>;
}

export function nodeIsReady(node: KubeObject): boolean {
  return (node.status?.conditions ?? []).some((c: NodeCondition) => c.type === 'Ready' && c.status === 'True');
}

/** Σ requests / allocatable for cpu and memory (DaemonSet pods count unless told otherwise). */
export function nodeUtilization(node: KubeObject, pods: KubeObject[], ignoreDaemonSets: boolean): { cpu: number; memory: number } {
  const alloc = nodeAllocatable(node);
  let cpu = 0;
  let mem = 0;
  for (const p of pods) {
    const phase = p.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    if (ignoreDaemonSets && isDaemonSetPod(p)) continue;
    const r = podRequests(p);
    cpu += r.cpu ?? 0;
    mem += r.memory ?? 0;
  }
  return { cpu: alloc.cpu ? cpu / alloc.cpu : 0, memory: alloc.memory ? mem / alloc.memory : 0 };
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/**
 * Which nodes are unneeded right now (cluster-autoscaler's scale-down planner): in an autoscaled
 * group above its min size, not opted out, utilization under the threshold, every pod movable
 * (drain rules, PodDisruptionBudgets) and placeable on the remaining nodes by the scheduler's
 * filters. Candidates are simulated one after another, so two nodes never count on the same room.
 */
export function findUnneededNodes(input: ScaleDownInput): NodeVerdict[] {
  const groups = new Map(input.groups.map((g) => [g.name, g]));
  const deletingPerGroup = new Map<string, number>();
  for (const n of input.nodes) {
    const g = poolOfNode(n);
    if (g && input.deleting.has(n.metadata.name!)) deletingPerGroup.set(g, (deletingPerGroup.get(g) ?? 0) + 1);
  }
  const remaining = new Map(input.budgets.map((b) => [b.pdb.metadata.uid ?? b.pdb.metadata.name!, b.allowed]));
  const verdicts: NodeVerdict[] = [];
  const candidates: { verdict: NodeVerdict; move: KubeObject[]; group: NodeGroup }[] = [];

  for (const node of input.nodes) {
    const name = node.metadata.name!;
    const pods = input.podsByNode.get(name) ?? [];
    const util = nodeUtilization(node, pods, input.ignoreDaemonSetsUtilization);
    const v: NodeVerdict = {
      node: name,
      group: poolOfNode(node),
      ready: nodeIsReady(node),
      utilization: util,
      unneeded: false,
      reason: 'Unneeded',
      message: '',
      podsToMove: [],
    };
    verdicts.push(v);
    const group = v.group ? groups.get(v.group) : undefined;
    const max = Math.max(util.cpu, util.memory);
    if (!group) Object.assign(v, { reason: 'NotAutoscaled', message: 'its node pool does not have autoscaling enabled' });
    else if (input.deleting.has(name)) Object.assign(v, { reason: 'BeingDeleted', message: 'the node is being drained and deleted' });
    else if (node.metadata.annotations?.[SCALE_DOWN_DISABLED] === 'true')
      Object.assign(v, { reason: 'ScaleDownDisabledAnnotation', message: `node is annotated ${SCALE_DOWN_DISABLED}=true` });
    else if (max >= input.threshold) {
      Object.assign(v, {
        reason: 'NotUnderutilized',
        message: `utilization ${pct(max)} (cpu ${pct(util.cpu)}, memory ${pct(util.memory)}) is not below the threshold ${pct(input.threshold)}`,
      });
    } else {
      const drain = drainNode(pods, (p) => input.budgets.some((b) => pdbSelects(b.pdb, p)), input.drain);
      v.podsToMove = drain.move.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
      if (drain.blocking) Object.assign(v, { reason: drain.blocking.reason, message: drain.blocking.message, blockingPod: drain.blocking.pod });
      else candidates.push({ verdict: v, move: drain.move, group });
    }
  }

  // Emptiest first: they free a node for the least disruption.
  candidates.sort(
    (a, b) =>
      Math.max(a.verdict.utilization.cpu, a.verdict.utilization.memory) - Math.max(b.verdict.utilization.cpu, b.verdict.utilization.memory) ||
      a.verdict.node.localeCompare(b.verdict.node),
  );
  let work = forkSnapshot(input.snapshot, { remove: input.deleting });
  const removedPerGroup = new Map<string, number>();
  for (const c of candidates) {
    const g = c.group;
    const gone = (removedPerGroup.get(g.name) ?? 0) + (deletingPerGroup.get(g.name) ?? 0);
    if (g.targetSize - gone <= g.minSize) {
      Object.assign(c.verdict, { reason: 'NodeGroupMinSizeReached', message: `node group ${g.name} would go below its minimum size ${g.minSize}` });
      continue;
    }
    const pdbUse = new Map<string, number>();
    let pdbBlock: KubeObject | undefined;
    for (const p of c.move) {
      for (const b of input.budgets) {
        if (!pdbSelects(b.pdb, p)) continue;
        const id = b.pdb.metadata.uid ?? b.pdb.metadata.name!;
        pdbUse.set(id, (pdbUse.get(id) ?? 0) + 1);
        if ((pdbUse.get(id) ?? 0) > (remaining.get(id) ?? 0)) pdbBlock ??= p;
      }
    }
    if (pdbBlock) {
      Object.assign(c.verdict, {
        reason: 'NotEnoughPdb',
        message: `not enough pod disruption budget to move ${pdbBlock.metadata.namespace}/${pdbBlock.metadata.name}`,
        blockingPod: `${pdbBlock.metadata.namespace}/${pdbBlock.metadata.name}`,
      });
      continue;
    }
    const trial = forkSnapshot(work);
    dropNode(trial, c.verdict.node);
    let stuck: KubeObject | undefined;
    for (const p of c.move) {
      const unbound = { ...p, spec: { ...p.spec, nodeName: undefined } };
      const info = computePodInfo(unbound, input.priorityClasses);
      const fit = firstFit(info, trial.nodes, trial);
      if (!fit.node) {
        stuck = p;
        break;
      }
      place(trial, info, fit.node.name);
    }
    if (stuck) {
      Object.assign(c.verdict, {
        reason: 'NoPlaceToMovePods',
        message: `no place to move pod ${stuck.metadata.namespace}/${stuck.metadata.name}`,
        blockingPod: `${stuck.metadata.namespace}/${stuck.metadata.name}`,
      });
      continue;
    }
    work = trial;
    for (const [id, n] of pdbUse) remaining.set(id, (remaining.get(id) ?? 0) - n);
    removedPerGroup.set(g.name, (removedPerGroup.get(g.name) ?? 0) + 1);
    const util = Math.max(c.verdict.utilization.cpu, c.verdict.utilization.memory);
    Object.assign(c.verdict, {
      unneeded: true,
      reason: 'Unneeded',
      message: `utilization ${pct(util)} is below the threshold ${pct(input.threshold)} and its ${c.move.length} pod(s) fit on other nodes`,
    });
  }
  return verdicts;
}
