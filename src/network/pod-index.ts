import type { Container, PodCondition } from '../kube/objects.ts';
import type { KubeObject } from '../kube/types.ts';
import { StoreError } from '../store/errors.ts';
import type { ObjectStore } from '../store/objects.ts';

/**
 * What the endpoint controllers need of a pod, a few hundred bytes instead of the whole object:
 * identity, labels, address, readiness, termination, node, hostname/subdomain and named ports.
 */
export function slimPod(pod: KubeObject): KubeObject {
  const ready = (pod.status?.conditions ?? []).find((c: PodCondition) => c.type === 'Ready');
  const ports = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].flatMap((c: Container) => c.ports ?? []).filter((p) => p.name);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      uid: pod.metadata.uid,
      labels: pod.metadata.labels,
      ...(pod.metadata.deletionTimestamp ? { deletionTimestamp: pod.metadata.deletionTimestamp } : {}),
    },
    spec: { nodeName: pod.spec?.nodeName, hostname: pod.spec?.hostname, subdomain: pod.spec?.subdomain, containers: ports.length ? [{ ports }] : [] },
    status: { podIP: pod.status?.podIP, phase: pod.status?.phase, conditions: ready ? [{ type: 'Ready', status: ready.status }] : [] },
  };
}

class PodIndex {
  revision = 0;
  readonly byNamespace = new Map<string, Map<string, KubeObject>>();

  put(pod: KubeObject): void {
    const ns = pod.metadata.namespace ?? 'default';
    let m = this.byNamespace.get(ns);
    if (!m) this.byNamespace.set(ns, (m = new Map()));
    m.set(pod.metadata.name!, slimPod(pod));
  }

  remove(ns: string, name: string): void {
    this.byNamespace.get(ns)?.delete(name);
  }
}

const stores = new WeakMap<ObjectStore, Map<string, PodIndex>>();
const PAGE = 10_000;

/** The cluster's pods (slim), per namespace, kept current from the watch log across passes. */
export async function syncPodIndex(store: ObjectStore, clusterId: string): Promise<{ pods: (ns: string) => KubeObject[] }> {
  let perCluster = stores.get(store);
  if (!perCluster) stores.set(store, (perCluster = new Map()));
  let index = perCluster.get(clusterId);
  if (index) {
    try {
      for (;;) {
        const events = await store.sharedEventsSince(clusterId, index.revision, 'pods', PAGE);
        for (const e of events) {
          const ns = e.object.metadata.namespace ?? 'default';
          if (e.type === 'DELETED') index.remove(ns, e.object.metadata.name!);
          else index.put(e.object);
          index.revision = Math.max(index.revision, e.resourceVersion);
        }
        if (events.length < PAGE) break;
      }
    } catch (err) {
      if (!(err instanceof StoreError && err.reason === 'Gone')) throw err;
      index = undefined;
    }
  }
  if (!index) {
    index = new PodIndex();
    const all = await store.list(clusterId, 'pods');
    for (const p of all.items) index.put(p);
    index.revision = Number(all.resourceVersion);
    perCluster.set(clusterId, index);
    if (perCluster.size > 500) perCluster.delete(perCluster.keys().next().value!);
  }
  const idx = index;
  return { pods: (ns) => [...(idx.byNamespace.get(ns)?.values() ?? [])] };
}
