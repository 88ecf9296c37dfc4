import type { KubeObject } from './types.ts';
import type { ObjectStore } from '../store/objects.ts';
import { requestDeletion } from './deletion.ts';
import { isoTime } from '../lib/clock.ts';
import { StoreError } from '../store/errors.ts';
import { chargeEviction } from './admission/eviction.ts';
import { EVICTION_API, markDisruptionTarget } from './disruption-target.ts';

export type EvictionOutcome = { evicted: true } | { evicted: false; reason: string };

/**
 * `POST pods/<name>/eviction` as a controller issues it (a node drain of the cluster autoscaler or
 * the node-pool controller, the VPA updater): refused when the pod's PodDisruptionBudget has no disruption left, otherwise the
 * budget records the disruption and the pod is marked DisruptionTarget and deleted gracefully.
 */
export async function evictPod(store: ObjectStore, clusterId: string, pod: KubeObject, nowMs: number): Promise<EvictionOutcome> {
  const ns = pod.metadata.namespace ?? 'default';
  const charge = await chargeEviction(store, clusterId, pod, () => isoTime(nowMs));
  if (!charge.allowed) return { evicted: false, reason: charge.cause ? `${charge.message} ${charge.cause}` : charge.message };
  if (charge.budget) {
    try {
      await store.update(clusterId, 'poddisruptionbudgets.policy', charge.budget);
    } catch (err) {
      if (err instanceof StoreError && err.reason === 'Conflict') return { evicted: false, reason: 'the disruption budget changed; retry' };
      throw err;
    }
  }
  try {
    await markDisruptionTarget(store, clusterId, pod, EVICTION_API.reason, EVICTION_API.message, nowMs);
    await requestDeletion(store, clusterId, 'pods', ns, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } });
  } catch (err) {
    if (!(err instanceof StoreError && (err.reason === 'NotFound' || err.reason === 'Conflict'))) throw err;
  }
  return { evicted: true };
}

/** Whether a pod's controller is a DaemonSet: such pods leave with their node instead of being evicted. */
export function isDaemonSetPod(p: KubeObject): boolean {
  return (p.metadata.ownerReferences ?? []).find((r) => r.controller)?.kind === 'DaemonSet';
}

/** Pods still holding a node being drained (DaemonSet and mirror pods leave with the node). */
export function podsLeftOnNode(pods: KubeObject[]): KubeObject[] {
  return pods.filter((p) => {
    const phase = p.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return false;
    return !isDaemonSetPod(p) && p.metadata.annotations?.['kubernetes.io/config.mirror'] === undefined;
  });
}

/** Evicts every pod that must leave; returns the refusals (PodDisruptionBudgets). */
export async function evictPods(store: ObjectStore, clusterId: string, pods: KubeObject[], nowMs: number): Promise<{ pod: string; reason: string }[]> {
  const refused: { pod: string; reason: string }[] = [];
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) continue;
    const r = await evictPod(store, clusterId, p, nowMs);
    if (!r.evicted) refused.push({ pod: `${p.metadata.namespace}/${p.metadata.name}`, reason: r.reason });
  }
  return refused;
}
