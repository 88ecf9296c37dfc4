import type { KubeObject } from '../../kube/types.ts';
import type { ObjectStore } from '../objects.ts';
import { StoreError } from '../errors.ts';
import type { CachedObject } from './cached-object.ts';
import { BoundedLru } from './lru.ts';
import { ResourceObjects } from './resource-objects.ts';
import { PAGE, watchLog, type LogRow } from './watch-log.ts';

export { CachedObject } from './cached-object.ts';
export { BoundedLru } from './lru.ts';
export { indexOf } from './resource-objects.ts';

/** Most (cluster, resource) lists and objects one process keeps; least recently used go first. */
const MAX_LISTS = 512;
const MAX_OBJECTS = 250_000;

interface Entry {
  objects: ResourceObjects;
  refreshing?: Promise<void>;
}

/** The objects of one resource at one revision, in key order (see ObjectCache.snapshot). */
export interface ResourceSnapshot {
  revision: number;
  objects: readonly CachedObject[];
}

/**
 * The process's one cache of stored objects (an informer, in client-go terms): per (cluster,
 * resource), every object as stored, brought up to date from the store's watch log (the change feed
 * every process shares) before each read, so a controller pass or a LIST of 5,000 pods reads and
 * parses only what changed since the last read. Reads are as fresh as a direct list; a compacted log
 * falls back to a full list. Bounded by lists and total objects, least recently used first.
 *
 * Returned objects are shared: callers must copy before changing anything.
 */
export class ObjectCache {
  private readonly entries = new BoundedLru<string, Entry>(MAX_LISTS, MAX_OBJECTS, (e) => e.objects.size);
  private freeze = false;

  constructor(private readonly store: ObjectStore) {}

  /** Freezes objects as they are parsed, so a caller mutating one fails loudly (tests). */
  freezeObjects(on = true): void {
    this.freeze = on;
    this.entries.deleteWhere(() => true);
  }

  /** Every object of the resource, at least as new as the store was when called. */
  async list(clusterId: string, resource: string): Promise<KubeObject[]> {
    return (await this.snapshot(clusterId, resource)).objects.map((o) => o.object());
  }

  /**
   * The resource's objects exactly as of one revision (at least the store's revision when called),
   * in key order: what a LIST answers, with the resourceVersion it reports.
   */
  async snapshot(clusterId: string, resource: string): Promise<ResourceSnapshot> {
    const key = `${clusterId}\u0000${resource}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { objects: new ResourceObjects(this.freeze) };
      this.entries.set(key, entry);
    }
    // One refresh at a time per entry; a caller arriving meanwhile refreshes again after it, so it
    // still sees every write committed before its call.
    while (entry.refreshing) await entry.refreshing;
    const e = entry;
    e.refreshing = this.catchUp(clusterId, resource, e.objects).finally(() => (e.refreshing = undefined));
    await e.refreshing;
    this.entries.reweigh();
    return { revision: e.objects.revision, objects: e.objects.inOrder() };
  }

  /** Forgets a cluster (deleted clusters, tests). */
  drop(clusterId: string): void {
    this.entries.deleteWhere((k) => k.startsWith(`${clusterId}\u0000`));
  }

  private async catchUp(clusterId: string, resource: string, objects: ResourceObjects): Promise<void> {
    const log = watchLog(this.store.database);
    const revisions = async () => {
      const row = await log.revisions.get<{ revision: number; compacted: number }>({ id: clusterId });
      if (!row) throw new StoreError('NotFound', `cluster "${clusterId}" not found`);
      return row;
    };
    const load = async () => {
      const listed = await this.store.listRaw(clusterId, resource);
      objects.load(listed.rows, Number(listed.resourceVersion));
    };
    if (objects.revision < 0) await load();
    // Read after any load: the rows were read after the listed revision, and catching up to this
    // later one makes the state exact.
    let row = await revisions();
    if (objects.revision < row.compacted) {
      await load();
      row = await revisions();
    }
    while (objects.revision < row.revision) {
      const changes = await log.changes.all<LogRow>({ clusterId, resource, after: objects.revision, upTo: row.revision });
      this.store.countReads(clusterId, changes.length);
      // A compaction between the revision read and this one may have taken changes we needed.
      const now = await log.revisions.get<{ revision: number; compacted: number }>({ id: clusterId });
      if (now && now.compacted > objects.revision) {
        objects.revision = -1;
        return this.catchUp(clusterId, resource, objects);
      }
      for (const c of changes) {
        if (c.type === 'DELETED') objects.remove(c);
        else objects.put(c);
      }
      objects.revision = changes.length < PAGE ? row.revision : changes[changes.length - 1].resourceVersion;
    }
  }
}

const caches = new WeakMap<ObjectStore, ObjectCache>();

/** The process-wide cache for a store (one per ObjectStore instance). */
export function objectCacheFor(store: ObjectStore): ObjectCache {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new ObjectCache(store)));
  return cache;
}
