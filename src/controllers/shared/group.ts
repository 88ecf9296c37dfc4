import type { KubeObject } from '../../kube/types.ts';

/** Indexes objects by namespace once per pass; the returned lookup answers [] for unknown ones. */
export function groupByNamespace<T extends KubeObject>(items: T[]): (ns: string) => T[] {
  const map = new Map<string, T[]>();
  for (const o of items) {
    const ns = o.metadata.namespace ?? '';
    let list = map.get(ns);
    if (!list) map.set(ns, (list = []));
    list.push(o);
  }
  return (ns) => map.get(ns) ?? [];
}
