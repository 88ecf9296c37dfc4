import type { KubeObject } from '../kube/types.ts';
import { isoTime } from '../lib/clock.ts';
import { StoreError } from '../store/errors.ts';
import type { ObjectStore } from '../store/objects.ts';
import { FAILED_ANNOTATION } from './node-state.ts';

/**
 * Chaos for `POST /v1/clusters/{id}/nodes/{name}:fail`: the node's kubelet goes silent. Its Lease
 * is no longer renewed and its pods freeze; 40 s later the node lifecycle controller marks it
 * Unknown and taints it unreachable, and after their 300 s toleration its pods are evicted.
 * Throws StoreError NotFound for an unknown node.
 */
export async function failNode(store: ObjectStore, clusterId: string, name: string): Promise<KubeObject> {
  const at = isoTime(await store.clusterNow(clusterId));
  return mutateNode(store, clusterId, name, (node) => {
    if (node.metadata.annotations?.[FAILED_ANNOTATION]) return false;
    node.metadata.annotations = { ...(node.metadata.annotations ?? {}), [FAILED_ANNOTATION]: at };
    return true;
  });
}

/** `:recover`: the kubelet comes back, heartbeats resume and the node turns Ready; its taints go. */
export async function recoverNode(store: ObjectStore, clusterId: string, name: string): Promise<KubeObject> {
  return mutateNode(store, clusterId, name, (node) => {
    if (!node.metadata.annotations?.[FAILED_ANNOTATION]) return false;
    delete node.metadata.annotations[FAILED_ANNOTATION];
    return true;
  });
}

async function mutateNode(store: ObjectStore, clusterId: string, name: string, change: (node: KubeObject) => boolean): Promise<KubeObject> {
  for (let attempt = 0; ; attempt++) {
    const node = structuredClone(await store.mustGet(clusterId, 'nodes', '', name));
    if (!change(node)) return node;
    try {
      return await store.update(clusterId, 'nodes', node);
    } catch (err) {
      if (err instanceof StoreError && err.reason === 'Conflict' && attempt < 10) continue;
      throw err;
    }
  }
}
