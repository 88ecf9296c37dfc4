import type { KubeObject } from '../kube/types.ts';
import type { ObjectStore } from '../store/objects.ts';
import { referencedNames, type ReferenceLookup } from './references.ts';

/**
 * Loads exactly the ConfigMaps, Secrets and claims the given pods refer to (not every object of
 * those kinds) and answers the kubelet's synchronous lookups from them.
 */
export async function loadReferences(store: ObjectStore, clusterId: string, pods: KubeObject[]): Promise<ReferenceLookup> {
  const wanted = new Map<string, { resource: string; ns: string; name: string }>();
  for (const p of pods) {
    const ns = p.metadata.namespace ?? 'default';
    const refs = referencedNames(p);
    for (const n of refs.configMaps) wanted.set(`configmaps/${ns}/${n}`, { resource: 'configmaps', ns, name: n });
    for (const n of refs.secrets) wanted.set(`secrets/${ns}/${n}`, { resource: 'secrets', ns, name: n });
    for (const n of refs.claims) wanted.set(`persistentvolumeclaims/${ns}/${n}`, { resource: 'persistentvolumeclaims', ns, name: n });
  }
  const found = new Map<string, KubeObject>();
  await Promise.all(
    [...wanted].map(async ([key, w]) => {
      const obj = await store.get(clusterId, w.resource, w.ns, w.name);
      if (obj) found.set(key, obj);
    }),
  );
  return {
    keys(kind, ns, name) {
      const obj = found.get(`${kind === 'ConfigMap' ? 'configmaps' : 'secrets'}/${ns}/${name}`);
      if (!obj) return undefined;
      return new Set([
        ...Object.keys((obj.data as object) ?? {}),
        ...Object.keys((obj.binaryData as object) ?? {}),
        ...Object.keys((obj.stringData as object) ?? {}),
      ]);
    },
    claimBound(ns, name) {
      const pvc = found.get(`persistentvolumeclaims/${ns}/${name}`);
      return Boolean(pvc && pvc.status?.phase === 'Bound' && !pvc.metadata.deletionTimestamp);
    },
  };
}
