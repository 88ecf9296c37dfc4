import type { KubeObject } from '../kube/types.ts';
import { StoreError } from '../store/errors.ts';
import type { ObjectStore } from '../store/objects.ts';
import { BoundedLru } from '../store/object-cache/index.ts';

/** What the kubelet remembers of a bound pod between passes (no body: a few fields). */
export interface PodEntry {
  namespace: string;
  name: string;
  uid: string;
  node: string;
  /** The version the kubelet last stepped (or wrote). */
  resourceVersion: string;
  /** Cluster time of its next transition; 0 means step it on the next pass. */
  nextAt: number;
  /** Re-step on every pass: it waits on something outside itself (a ConfigMap, a claim, its node). */
  watching: boolean;
  /** The pod IP it holds on its node, if any. */
  ip?: string;
}

/**
 * A worker's memory of one cluster's bound pods, kept current from the store's watch log (an
 * informer, in client-go terms). With it a kubelet pass reads only the pods that changed or fell
 * due instead of parsing every pod of the cluster. Any worker may hold one: the watch log makes
 * each catch up with the others' writes, and a compacted log simply means a full re-list.
 */
export class PodCache {
  revision = 0;
  readonly entries = new Map<string, PodEntry>();

  static key(namespace: string, name: string): string {
    return `${namespace}/${name}`;
  }

  remember(pod: KubeObject, nextAt: number, watching: boolean, ip: string | undefined): void {
    const namespace = pod.metadata.namespace ?? 'default';
    this.entries.set(PodCache.key(namespace, pod.metadata.name!), {
      namespace,
      name: pod.metadata.name!,
      uid: pod.metadata.uid ?? '',
      node: pod.spec?.nodeName ?? '',
      resourceVersion: pod.metadata.resourceVersion ?? '',
      nextAt,
      watching,
      ip,
    });
  }
}

/** Clusters whose pods a worker remembers at most; the least recently used is forgotten. */
const MAX_CLUSTERS = 500;
// Per store (a test may open many), then per cluster.
const stores = new WeakMap<ObjectStore, BoundedLru<string, PodCache>>();
const PAGE = 10_000;

/**
 * Brings the cluster's pod cache up to date and returns the pods that changed since the last pass
 * (every bound pod on the first pass or after the watch log was compacted).
 */
export async function syncPodCache(store: ObjectStore, clusterId: string): Promise<{ cache: PodCache; changed: KubeObject[] }> {
  let caches = stores.get(store);
  if (!caches) stores.set(store, (caches = new BoundedLru(MAX_CLUSTERS)));
  let cache = caches.get(clusterId);
  if (cache) {
    try {
      return { cache, changed: await changesSince(store, clusterId, cache) };
    } catch (err) {
      if (!(err instanceof StoreError && err.reason === 'Gone')) throw err;
    }
  }
  cache = new PodCache();
  const all = await store.list(clusterId, 'pods', { filter: (p) => Boolean(p.spec?.nodeName) });
  cache.revision = Number(all.resourceVersion);
  caches.set(clusterId, cache);
  return { cache, changed: all.items };
}

async function changesSince(store: ObjectStore, clusterId: string, cache: PodCache): Promise<KubeObject[]> {
  const latest = new Map<string, KubeObject | null>();
  for (;;) {
    const events = await store.sharedEventsSince(clusterId, cache.revision, 'pods', PAGE);
    for (const e of events) {
      const key = PodCache.key(e.object.metadata.namespace ?? 'default', e.object.metadata.name!);
      latest.set(key, e.type === 'DELETED' ? null : e.object);
      cache.revision = Math.max(cache.revision, e.resourceVersion);
    }
    if (events.length < PAGE) break;
  }
  const changed: KubeObject[] = [];
  for (const [key, pod] of latest) {
    const entry = cache.entries.get(key);
    if (!pod || !pod.spec?.nodeName) {
      cache.entries.delete(key);
      continue;
    }
    // Our own last write comes back through the log: nothing new in it.
    if (entry && entry.resourceVersion === pod.metadata.resourceVersion && entry.uid === pod.metadata.uid) continue;
    changed.push(pod);
  }
  return changed;
}

/** Forgets a cluster (a worker that learns the cluster is gone). */
export function forgetPodCache(store: ObjectStore, clusterId: string): void {
  stores.get(store)?.delete(clusterId);
}
