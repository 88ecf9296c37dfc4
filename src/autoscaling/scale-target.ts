import type { KubeObject } from '../kube/types.ts';
import type { ObjectStore } from '../store/objects.ts';
import { StoreError } from '../store/errors.ts';

/** Kinds with a scale subresource, by API group and kind, and their store resource keys. */
const SCALABLE: Record<string, string> = {
  'apps/Deployment': 'deployments.apps',
  'apps/StatefulSet': 'statefulsets.apps',
  'apps/ReplicaSet': 'replicasets.apps',
  'extensions/Deployment': 'deployments.apps',
  'extensions/ReplicaSet': 'replicasets.apps',
  '/ReplicationController': 'replicationcontrollers',
};

export interface TargetRef {
  apiVersion?: string;
  kind?: string;
  name?: string;
}

const groupOf = (apiVersion: string | undefined) => (apiVersion && apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

/** The store resource key of a scale target reference, or the RESTMapper's error text. */
export function scaleResourceOf(ref: TargetRef): { resource: string } | { error: string } {
  const group = groupOf(ref.apiVersion);
  const resource = SCALABLE[`${group}/${ref.kind}`];
  if (!resource) return { error: `no matches for kind "${ref.kind}" in group "${group}"` };
  return { resource };
}

/** Reads a scale target (`GET …/scale`), answering the error text the HPA and VPA report. */
export async function readScaleTarget(
  store: ObjectStore,
  clusterId: string,
  namespace: string,
  ref: TargetRef,
): Promise<{ object: KubeObject; resource: string } | { error: string }> {
  const r = scaleResourceOf(ref);
  if ('error' in r) return r;
  const object = await store.get(clusterId, r.resource, namespace, ref.name ?? '');
  if (!object) return { error: `${r.resource} "${ref.name}" not found` };
  return { object, resource: r.resource };
}

/** `PUT …/scale`: sets spec.replicas, re-reading on a write conflict like a client retrying. */
export async function writeScale(store: ObjectStore, clusterId: string, resource: string, namespace: string, name: string, replicas: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const current = await store.mustGet(clusterId, resource, namespace, name);
    if (current.spec?.replicas === replicas) return;
    const next = structuredClone(current);
    next.spec = { ...(next.spec ?? {}), replicas };
    try {
      await store.update(clusterId, resource, next);
      return;
    } catch (err) {
      if (!(err instanceof StoreError && err.reason === 'Conflict') || attempt >= 3) throw err;
    }
  }
}
