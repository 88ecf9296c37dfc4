import type { Pod } from '../kube/objects.ts';
import type { KubeObject } from '../kube/types.ts';
import { StoreError } from '../store/errors.ts';
import type { ObjectStore, WriteOp } from '../store/objects.ts';
import { eventName, prepareEventWrite, type EventOccurrence } from '../kube/events.ts';
import type { SimEvent } from './sim.ts';

const CHUNK = 200;

/**
 * Records the kubelet's Events of a whole pass in a few commits instead of one per event (a
 * thousand pods starting make four thousand events). Repeats of the same reason and message on
 * the same object are merged into `count` and `lastTimestamp`, as the client-go correlator does.
 */
export async function recordKubeletEvents(
  store: ObjectStore,
  clusterId: string,
  now: number,
  items: Array<{ pod: KubeObject; event: SimEvent; fresh?: boolean }>,
): Promise<void> {
  const merged = new Map<string, { occurrence: EventOccurrence; count: number; fresh: boolean }>();
  for (const { pod, event, fresh } of items) {
    const occurrence = kubeletOccurrence(pod, event);
    const name = eventName(occurrence);
    const hit = merged.get(name);
    if (hit) hit.count++;
    else merged.set(name, { occurrence, count: 1, fresh: fresh === true });
  }
  const ops: WriteOp[] = [];
  // A pod the kubelet sees for the first time has no Events yet: no need to look.
  for (const { occurrence, count, fresh } of merged.values()) ops.push(await prepareEventWrite(store, clusterId, occurrence, now, { count, knownNew: fresh }));
  for (let i = 0; i < ops.length; i += CHUNK) {
    const chunk = ops.slice(i, i + CHUNK);
    try {
      await store.commit(clusterId, chunk);
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      // Another writer touched one of them: keep the others (events are best effort, as in Kubernetes).
      for (const op of chunk)
        await store.commit(clusterId, [op]).catch((e) => {
          if (!(e instanceof StoreError)) throw e;
        });
    }
  }
}

/** An Event of the kubelet on the pod's node, about the pod or one of its containers. */
function kubeletOccurrence(pod: KubeObject, e: SimEvent): EventOccurrence {
  const node = pod.spec?.nodeName;
  return {
    involved: pod,
    type: e.type,
    reason: e.reason,
    message: e.message,
    source: { component: 'kubelet', ...(node ? { host: node } : {}) },
    ...(e.container ? { fieldPath: fieldPath(pod, e.container) } : {}),
    defaultType: { apiVersion: 'v1', kind: 'Pod' },
  };
}

function fieldPath(pod: Pod, container: string): string {
  const init = (pod.spec?.initContainers ?? []).some((c) => c.name === container);
  return `spec.${init ? 'initContainers' : 'containers'}{${container}}`;
}
