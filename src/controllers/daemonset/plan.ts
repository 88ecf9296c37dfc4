import type { DaemonSet, Node, Pod } from '../../kube/objects.ts';
import { scaledValue } from '../shared/int-or-percent.ts';
import { isPodAvailable, isPodReady } from '../shared/pod-state.ts';
import { DS_HASH_LABEL } from './history.ts';
import { byCreationAndPhase, nodeShouldRunDaemonPod } from './placement.ts';

export interface DaemonPlan {
  /** Nodes that need a daemon pod. */
  createOn: string[];
  deletePods: Pod[];
  /** Failed pods found (each gets a FailedDaemonPod warning). */
  failed: { pod: Pod; node: string }[];
}

const isUpdated = (pod: Pod, hash: string) => pod.metadata.labels?.[DS_HASH_LABEL] === hash;

export function allowsSurge(ds: DaemonSet): boolean {
  const ru = ds.spec?.updateStrategy?.rollingUpdate;
  return (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && (scaledValue(ru?.maxSurge ?? 0, 1, true) ?? 0) > 0;
}

/**
 * manage(): per node, what podsShouldBeOnNode decides: create where a pod should run and none
 * exists; delete failed and surplus pods (the oldest stays; with surge, the oldest of each
 * revision until the new one is available); delete pods on nodes they may no longer run on,
 * and pods whose node is gone (the node's pod garbage collection).
 */
export function planDaemonPods(ds: DaemonSet, nodes: Node[], nodeToPods: Map<string, Pod[]>, hash: string, nowMs: number): DaemonPlan {
  const plan: DaemonPlan = { createOn: [], deletePods: [], failed: [] };
  const surge = allowsSurge(ds);
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const known = new Set<string>();
  for (const node of nodes) {
    const name = node.metadata.name!;
    known.add(name);
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
    const pods = nodeToPods.get(name);
    if (shouldRun && !pods?.length) {
      plan.createOn.push(name);
      continue;
    }
    if (!pods?.length) continue;
    if (!shouldContinueRunning) {
      plan.deletePods.push(...pods.filter((p) => !p.metadata.deletionTimestamp));
      continue;
    }
    const running: Pod[] = [];
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp) continue;
      if (pod.status?.phase === 'Failed') {
        plan.failed.push({ pod, node: name });
        plan.deletePods.push(pod);
      } else if (pod.status?.phase === 'Succeeded') {
        plan.deletePods.push(pod);
      } else {
        running.push(pod);
      }
    }
    if (running.length <= 1) continue;
    running.sort(byCreationAndPhase);
    if (!surge) {
      plan.deletePods.push(...running.slice(1));
      continue;
    }
    let oldestNew: Pod | undefined;
    let oldestOld: Pod | undefined;
    for (const pod of running) {
      if (isUpdated(pod, hash) && !oldestNew) oldestNew = pod;
      else if (!isUpdated(pod, hash) && !oldestOld) oldestOld = pod;
      else plan.deletePods.push(pod);
    }
    if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, minReady, nowMs))) plan.deletePods.push(oldestOld);
  }
  for (const [name, pods] of nodeToPods) {
    if (!known.has(name)) plan.deletePods.push(...pods.filter((p) => !p.metadata.deletionTimestamp));
  }
  return plan;
}

/** The budget of a rolling update: maxUnavailable and maxSurge of the eligible nodes, rounded up. */
function rollingBudget(ds: DaemonSet, desired: number): { maxUnavailable: number; maxSurge: number } {
  const ru = ds.spec?.updateStrategy?.rollingUpdate ?? {};
  let maxUnavailable = scaledValue(ru.maxUnavailable ?? 1, desired, true) ?? 1;
  const maxSurge = scaledValue(ru.maxSurge ?? 0, desired, true) ?? 0;
  if (maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxUnavailable, maxSurge };
}

/** findUpdatedPodsOnNode: at most one new and one old pod per node, else the node is skipped. */
function updatedPodsOnNode(pods: Pod[], hash: string): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (isUpdated(pod, hash)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { newPod, oldPod, ok: true };
}

/**
 * rollingUpdate (update.go): without surge, delete old pods while at most maxUnavailable nodes
 * lack an available pod (unavailable old pods are replaced first); with surge, start new pods
 * next to old ones on up to maxSurge nodes and delete each old pod once its replacement is available.
 */
export function planRollingUpdate(
  ds: DaemonSet,
  nodes: Node[],
  nodeToPods: Map<string, Pod[]>,
  hash: string,
  nowMs: number,
): { deletePods: Pod[]; createOn: string[] } {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const available = (p: Pod) => isPodAvailable(p, minReady, nowMs);
  const eligible = nodes.filter((n) => nodeShouldRunDaemonPod(n, ds).shouldRun).map((n) => n.metadata.name!);
  const { maxUnavailable, maxSurge } = rollingBudget(ds, eligible.length);
  const nodesToCheck = new Set([...nodeToPods.keys(), ...eligible]);
  if (maxSurge === 0) {
    let unavailable = 0;
    const replace: Pod[] = [];
    const candidates: Pod[] = [];
    for (const name of nodesToCheck) {
      const { newPod, oldPod, ok } = updatedPodsOnNode(nodeToPods.get(name) ?? [], hash);
      if (!ok || (!oldPod && !newPod) || (oldPod && newPod)) {
        unavailable++;
      } else if (newPod) {
        if (!available(newPod)) unavailable++;
      } else if (oldPod && !available(oldPod)) {
        replace.push(oldPod);
      } else if (oldPod && unavailable < maxUnavailable) {
        candidates.push(oldPod);
      }
    }
    const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    return { deletePods: [...replace, ...candidates.slice(0, room)], createOn: [] };
  }
  let surged = 0;
  const deletePods: Pod[] = [];
  const allowed: string[] = [];
  const candidates: string[] = [];
  const eligibleSet = new Set(eligible);
  for (const name of nodesToCheck) {
    const { newPod, oldPod, ok } = updatedPodsOnNode(nodeToPods.get(name) ?? [], hash);
    if (!ok) {
      surged++;
      continue;
    }
    if (!oldPod) continue;
    if (!newPod) {
      if (!available(oldPod)) {
        if (!eligibleSet.has(name)) deletePods.push(oldPod);
        else allowed.push(name);
      } else if (surged < maxSurge) {
        candidates.push(name);
      }
      continue;
    }
    if (!available(newPod)) surged++;
    else deletePods.push(oldPod);
  }
  const room = Math.min(Math.max(0, maxSurge - surged), candidates.length);
  return { deletePods, createOn: [...allowed, ...candidates.slice(0, room)] };
}
