import type { KubeObject } from '../../kube/types.ts';

/**
 * One version of a stored object as a cache holds it: its key, revision and stored JSON text, parsed
 * on first use, plus values derived from this version (a Table row's metadata) that live and die
 * with it. Parsed objects are shared by every reader: never change one.
 */
export class CachedObject {
  private parsed?: KubeObject;
  private derived?: Map<string, unknown>;

  constructor(
    readonly namespace: string,
    readonly name: string,
    readonly resourceVersion: number,
    readonly json: string,
    private readonly freeze = false,
  ) {}

  object(): KubeObject {
    if (!this.parsed) {
      const o = JSON.parse(this.json) as KubeObject;
      this.parsed = this.freeze ? deepFreeze(o) : o;
    }
    return this.parsed;
  }

  /** A value derived from this version of the object, computed once under `key`. */
  memo<T>(key: string, make: (o: KubeObject) => T): T {
    const hit = this.derived?.get(key);
    if (hit !== undefined) return hit as T;
    const value = make(this.object());
    (this.derived ??= new Map()).set(key, value);
    return value;
  }
}

/** Key order of the store (namespace, then name, as SQLite's binary collation sorts ASCII names). */
export function compareKeys(a: { namespace: string; name: string }, b: { namespace: string; name: string }): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
