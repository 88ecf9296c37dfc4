/**
 * A map that forgets its least recently used entries beyond a bound on their count and on their
 * total weight (objects, bytes: whatever `weigh` counts). The entry used last is always kept, however
 * heavy, so one oversized value still serves the request that loaded it.
 */
export class BoundedLru<K, V> {
  private readonly entries = new Map<K, V>();
  private total = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxWeight = Infinity,
    private readonly weigh: (value: V) => number = () => 0,
    /** Told of each entry it forgets or that is deleted (to release what the entry holds). */
    private readonly onDrop?: (key: K, value: V) => void,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value, now the most recently used. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    // Map order is use order: the first entry is the least recently used.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** The value without counting it as a use. */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): void {
    this.delete(key);
    this.entries.set(key, value);
    this.total += this.weigh(value);
    this.trim();
  }

  /** Call when a value's weight changed in place (more objects in a cached list). */
  reweigh(): void {
    this.total = 0;
    for (const v of this.entries.values()) this.total += this.weigh(v);
    this.trim();
  }

  delete(key: K): boolean {
    const value = this.entries.get(key);
    if (value === undefined) return false;
    this.entries.delete(key);
    this.total -= this.weigh(value);
    this.onDrop?.(key, value);
    return true;
  }

  /** Deletes every entry whose key passes `test` (a deleted cluster's entries). */
  deleteWhere(test: (key: K) => boolean): void {
    for (const key of [...this.entries.keys()]) if (test(key)) this.delete(key);
  }

  keys(): IterableIterator<K> {
    return this.entries.keys();
  }

  private trim(): void {
    while (this.entries.size > 1 && (this.entries.size > this.maxEntries || this.total > this.maxWeight)) {
      this.delete(this.entries.keys().next().value as K);
    }
  }
}
