import type { KubeObject } from '../kube/types.ts';
import { StoreError } from '../store/errors.ts';
import type { ObjectStore } from '../store/objects.ts';

interface Entry {
  /** Revision up to which the set reflects the cluster's pods. */
  revision: number;
  /** `<namespace>/<name>` of pods waiting for this scheduler. */
  waiting: Set<string>;
}

/** Catching up beyond this many pod changes costs about as much as a fresh list. */
const MAX_CATCH_UP_EVENTS = 5_000;

/**
 * Which pods of each cluster wait for the scheduler, kept current from the watch log like an
 * informer, so a pass woken by pod churn (kubelet status updates) in a cluster with nothing to
 * schedule returns without listing every pod. It is only a cache: a process that has not seen a
 * cluster yet, or finds its revision compacted, answers "unknown" and the pass lists as usual.
 */
export class PendingIndex {
  /** Per store (tests and processes may hold several), per cluster. */
  private readonly stores = new WeakMap<ObjectStore, Map<string, Entry>>();

  constructor(private readonly awaits: (pod: KubeObject) => boolean) {}

  private clustersOf(store: ObjectStore): Map<string, Entry> {
    let m = this.stores.get(store);
    if (!m) this.stores.set(store, (m = new Map()));
    return m;
  }

  /** True or false when known from the watch log; undefined when a full list is needed. */
  async anyWaiting(store: ObjectStore, clusterId: string): Promise<boolean | undefined> {
    const clusters = this.clustersOf(store);
    const entry = clusters.get(clusterId);
    if (!entry) return undefined;
    let events;
    try {
      events = await store.sharedEventsSince(clusterId, entry.revision, 'pods', MAX_CATCH_UP_EVENTS);
    } catch (err) {
      if (err instanceof StoreError && err.reason === 'Gone') {
        clusters.delete(clusterId);
        return undefined;
      }
      throw err;
    }
    if (events.length >= MAX_CATCH_UP_EVENTS) {
      clusters.delete(clusterId);
      return undefined;
    }
    for (const ev of events) {
      const key = `${ev.object.metadata.namespace ?? ''}/${ev.object.metadata.name}`;
      if (ev.type !== 'DELETED' && this.awaits(ev.object)) entry.waiting.add(key);
      else entry.waiting.delete(key);
      entry.revision = ev.resourceVersion;
    }
    return entry.waiting.size > 0;
  }

  /** Records the waiting pods seen in a full list taken at `revision`. */
  reset(store: ObjectStore, clusterId: string, revision: number, pods: KubeObject[]): void {
    const waiting = new Set<string>();
    for (const p of pods) if (this.awaits(p)) waiting.add(`${p.metadata.namespace ?? ''}/${p.metadata.name}`);
    this.clustersOf(store).set(clusterId, { revision, waiting });
  }
}
