import { CachedObject, compareKeys } from './cached-object.ts';

/** A row of the objects table or of the watch log, as far as a cache needs it. */
export interface ObjectRow {
  namespace: string;
  name: string;
  resourceVersion: number;
  body: string;
}

/**
 * The objects of one resource in one cluster, complete up to `revision`, in the store's key order.
 * The ordered array handed out is never changed afterwards (a later change copies it), so a reader
 * may keep using it across awaits.
 */
export class ResourceObjects {
  /** Every change up to this revision is applied; -1 until the first full load. */
  revision = -1;
  private readonly byKey = new Map<string, CachedObject>();
  private ordered: CachedObject[] | undefined = [];
  private orderedShared = false;

  constructor(private readonly freeze: boolean) {}

  get size(): number {
    return this.byKey.size;
  }

  /** Replaces everything with a full listing taken at `revision`. */
  load(rows: ObjectRow[], revision: number): void {
    this.byKey.clear();
    for (const r of rows) this.byKey.set(key(r), this.make(r));
    this.ordered = undefined;
    this.revision = revision;
  }

  put(row: ObjectRow): void {
    const k = key(row);
    const had = this.byKey.get(k);
    if (had && had.resourceVersion === row.resourceVersion) return;
    const obj = this.make(row);
    this.byKey.set(k, obj);
    if (!had) this.ordered = undefined;
    else if (this.ordered) {
      if (this.orderedShared) {
        this.ordered = this.ordered.slice();
        this.orderedShared = false;
      }
      this.ordered[indexOf(this.ordered, row)] = obj;
    }
  }

  remove(row: { namespace: string; name: string }): void {
    if (this.byKey.delete(key(row))) this.ordered = undefined;
  }

  /** The objects in key order; the array is not changed afterwards. */
  inOrder(): readonly CachedObject[] {
    if (!this.ordered) this.ordered = [...this.byKey.values()].sort(compareKeys);
    this.orderedShared = true;
    return this.ordered;
  }

  private make(r: ObjectRow): CachedObject {
    return new CachedObject(r.namespace, r.name, r.resourceVersion, r.body, this.freeze);
  }
}

const key = (r: { namespace: string; name: string }) => `${r.namespace}/${r.name}`;

/** Index of the first object at or after `k` in key order. */
export function indexOf(ordered: readonly CachedObject[], k: { namespace: string; name: string }): number {
  let lo = 0;
  let hi = ordered.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(ordered[mid], k) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
