/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KubeObject } from '../kube/types.ts';
import { isoTime } from '../lib/clock.ts';
import { StoreError } from '../store/errors.ts';
import type { ObjectStore, WriteOp } from '../store/objects.ts';
import { hexDigest } from '../lib/digest.ts';
import type { SimEvent } from './sim.ts';

const CHUNK = 200;

/**
 * Records the kubelet's Events of a whole pass in a few commits instead of one per event (a
 * thousand pods starting make four thousand events). Repeats of the same reason and message on
 * the same object are merged into `count` and `lastTimestamp`, as the client-go correlator does.
 */
export async function recordKubeletEvents(store: ObjectStore, clusterId: string, now: number, items: Array<{ pod: KubeObject; event: SimEvent; fresh?: boolean }>): Promise<void> {
  const merged = new Map<string, { pod: KubeObject; event: SimEvent; count: number; fresh: boolean }>();
  for (const { pod, event, fresh } of items) {
    const name = eventName(pod, event);
    const hit = merged.get(name);
    if (hit) hit.count++;
    else merged.set(name, { pod, event, count: 1, fresh: fresh === true });
  }
  const ts = isoTime(now);
  const ops: WriteOp[] = [];
  for (const [name, { pod, event, count, fresh }] of merged) {
    const ns = pod.metadata.namespace ?? 'default';
    // A pod the kubelet sees for the first time has no Events yet: no need to look.
    const existing = fresh ? undefined : await store.get(clusterId, 'events', ns, name);
    if (existing) {
      ops.push({ op: 'update', resource: 'events', object: { ...existing, count: ((existing.count as number) ?? 1) + count, lastTimestamp: ts } });
      continue;
    }
    const node = pod.spec?.nodeName;
    ops.push({
      op: 'create',
      resource: 'events',
      object: {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace: ns },
        involvedObject: {
          apiVersion: 'v1',
          kind: 'Pod',
          name: pod.metadata.name,
          namespace: ns,
          uid: pod.metadata.uid,
          resourceVersion: pod.metadata.resourceVersion,
          ...(event.container ? { fieldPath: fieldPath(pod, event.container) } : {}),
        },
        reason: event.reason,
        message: event.message,
        type: event.type,
        source: { component: 'kubelet', ...(node ? { host: node } : {}) },
        reportingComponent: 'kubelet',
        reportingInstance: node ?? '',
        count,
        firstTimestamp: ts,
        lastTimestamp: ts,
        eventTime: null,
      },
    });
  }
  for (let i = 0; i < ops.length; i += CHUNK) {
    const chunk = ops.slice(i, i + CHUNK);
    try {
      await store.commit(clusterId, chunk);
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      // Another writer touched one of them: keep the others (events are best effort, as in Kubernetes).
      for (const op of chunk) await store.commit(clusterId, [op]).catch((e) => {
        if (!(e instanceof StoreError)) throw e;
      });
    }
  }
}

/** `<pod>.<16 hex>`, stable for one object, reason and message (so repeats find each other). */
function eventName(pod: KubeObject, e: SimEvent): string {
  return `${pod.metadata.name}.${hexDigest(`${pod.metadata.uid}|${e.container ?? ''}|${e.reason}|${e.message}`, 16)}`;
}

function fieldPath(pod: KubeObject, container: string): string {
  const init = (pod.spec?.initContainers ?? []).some((c: any) => c.name === container);
  return `spec.${init ? 'initContainers' : 'containers'}{${container}}`;
}
