import type { KubeObject } from '../kube/types.ts';
import type { ObjectStore } from '../store/objects.ts';
import { requestDeletion } from '../kube/deletion.ts';
import { isoTime } from '../lib/clock.ts';
import { StoreError } from '../store/errors.ts';
import { chargeEviction } from '../kube/admission/eviction.ts';
import { EVICTION_API, markDisruptionTarget } from '../kube/disruption-target.ts';

export type EvictionOutcome = { evicted: true } | { evicted: false; reason: string };

/**
 * `POST pods/<name>/eviction` as a controller issues it (the cluster autoscaler's drain, the VPA
 * updater): refused when the pod's PodDisruptionBudget has no disruption left, otherwise the
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
