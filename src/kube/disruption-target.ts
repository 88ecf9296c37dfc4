import { isoTime } from '../lib/clock.ts';
import { replaceCondition } from '../lib/conditions.ts';
import { StoreError } from '../store/errors.ts';
import type { ObjectStore } from '../store/objects.ts';
import type { KubeObject } from './types.ts';

/**
 * Marks a pod about to be disrupted with condition DisruptionTarget=True (reason e.g.
 * EvictionByEvictionAPI), before its deletion, so its owner can tell a disruption from a failure
 * (a Job's podFailurePolicy matches on it). Retries on the latest pod when the kubelet wrote in
 * between; gives up quietly when the pod is gone or was replaced by another of the same name.
 */
export async function markDisruptionTarget(
  store: ObjectStore,
  clusterId: string,
  pod: KubeObject,
  reason: string,
  message: string,
  nowMs: number,
): Promise<void> {
  let current: KubeObject | undefined = pod;
  for (let attempt = 0; attempt < 3 && current; attempt++) {
    const conditions: { type: string; status: string; lastTransitionTime?: string }[] = current.status?.conditions ?? [];
    if (conditions.find((c) => c.type === 'DisruptionTarget')?.status === 'True') return;
    const next = structuredClone(current);
    const condition = { type: 'DisruptionTarget', status: 'True', reason, message, lastProbeTime: null, lastTransitionTime: isoTime(nowMs) };
    next.status = { ...(next.status ?? {}), conditions: replaceCondition<{ type: string; status: string }>(conditions, condition) };
    try {
      await store.update(clusterId, 'pods', next);
      return;
    } catch (err) {
      if (!(err instanceof StoreError) || err.reason !== 'Conflict') {
        if (err instanceof StoreError && err.reason === 'NotFound') return;
        throw err;
      }
      const fresh = await store.get(clusterId, 'pods', pod.metadata.namespace ?? '', pod.metadata.name!);
      current = fresh?.metadata.uid === pod.metadata.uid ? fresh : undefined;
    }
  }
}

export const EVICTION_API = { reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' };
