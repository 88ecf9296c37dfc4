import type { KubeObject } from '../../kube/types.ts';
import type { ObjectOf } from '../../kube/objects.ts';
import type { ObjectStore } from '../../store/objects.ts';
import { StoreError } from '../../store/errors.ts';

/** Most (cluster, resource) lists and objects one worker process keeps; least recently used go first. */
const MAX_ENTRIES = 512;
const MAX_OBJECTS = 250_000;
/** Watch events read per refresh round trip. */
const PAGE = 5_000;

interface Entry {
  /** The revision the cached objects are complete up to. */
  rv: number;
  objects: Map<string, KubeObject>;
  refreshing?: Promise<void>;
}

/**
 * An informer for controller passes: the objects of one resource in one cluster, kept in this
 * process and brought up to date from the store's watch log before every read, so a pass over a
 * 5,000-pod cluster parses only what changed since the last pass instead of every pod. Reads are
 * as fresh as a direct list (the log is read at call time); a compacted log falls back to a list.
 *
 * Returned objects are shared between passes: callers must copy before changing anything.
 */
export class ObjectCache {
  private entries = new Map<string, Entry>();
  private freeze = false;

  constructor(private readonly store: ObjectStore) {}

  /** Freezes cached objects, so a caller mutating one fails loudly (tests). */
  freezeObjects(on = true): void {
    this.freeze = on;
  }

  async list(clusterId: string, resource: string): Promise<KubeObject[]> {
    const key = `${clusterId}\u0000${resource}`;
    let entry = this.entries.get(key);
    if (entry) {
      // Most recently used last, so eviction takes the first.
      this.entries.delete(key);
      this.entries.set(key, entry);
    } else {
      entry = { rv: -1, objects: new Map() };
      this.entries.set(key, entry);
    }
    await this.refresh(clusterId, resource, entry);
    const items = [...entry.objects.values()];
    this.evict();
    return items;
  }

  /** Forgets a cluster (deleted clusters, tests). */
  drop(clusterId: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(`${clusterId}\u0000`)) this.entries.delete(key);
  }

  private async refresh(clusterId: string, resource: string, entry: Entry): Promise<void> {
    // One refresh at a time per entry; a caller arriving meanwhile refreshes again after it, so
    // it still sees every write committed before its call.
    while (entry.refreshing) await entry.refreshing;
    entry.refreshing = this.catchUp(clusterId, resource, entry).finally(() => {
      entry.refreshing = undefined;
    });
    await entry.refreshing;
  }

  private async catchUp(clusterId: string, resource: string, entry: Entry): Promise<void> {
    if (entry.rv >= 0) {
      try {
        for (;;) {
          const events = await this.store.eventsSince(clusterId, entry.rv, resource, PAGE);
          for (const e of events) {
            const k = objectKey(e.object);
            if (e.type === 'DELETED') entry.objects.delete(k);
            else entry.objects.set(k, this.prepare(e.object));
            entry.rv = Math.max(entry.rv, e.resourceVersion);
          }
          if (events.length < PAGE) return;
        }
      } catch (err) {
        if (!(err instanceof StoreError && err.reason === 'Gone')) throw err;
      }
    }
    const listed = await this.store.list(clusterId, resource);
    entry.objects = new Map(listed.items.map((o) => [objectKey(o), this.prepare(o)]));
    entry.rv = Number(listed.resourceVersion);
  }

  private prepare(obj: KubeObject): KubeObject {
    return this.freeze ? deepFreeze(obj) : obj;
  }

  private evict(): void {
    let objects = 0;
    for (const e of this.entries.values()) objects += e.objects.size;
    // Always keep the entry just used (the last one), however big.
    while (this.entries.size > 1 && (this.entries.size > MAX_ENTRIES || objects > MAX_OBJECTS)) {
      const oldest = this.entries.keys().next().value!;
      objects -= this.entries.get(oldest)!.objects.size;
      this.entries.delete(oldest);
    }
  }
}

function objectKey(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

const caches = new WeakMap<ObjectStore, ObjectCache>();

/** The process-wide cache for a store (one per ObjectStore instance). */
export function objectCacheFor(store: ObjectStore): ObjectCache {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new ObjectCache(store)));
  return cache;
}

/** Lists a resource of the pass's cluster through the process-wide cache. */
export function listCached<R extends string>(ctx: { store: ObjectStore; clusterId: string }, resource: R): Promise<ObjectOf<R>[]> {
  return objectCacheFor(ctx.store).list(ctx.clusterId, resource) as Promise<ObjectOf<R>[]>;
}
