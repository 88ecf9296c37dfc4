import type { KubeObject } from '../kube/types.ts';
import type { ObjectStore } from '../store/objects.ts';
import type { SnapshotInput } from './snapshot.ts';

/** Resource keys of everything the plugins consult, besides pods. */
const RESOURCES = {
  nodes: 'nodes',
  pvcs: 'persistentvolumeclaims',
  pvs: 'persistentvolumes',
  storageClasses: 'storageclasses.storage.k8s.io',
  namespaces: 'namespaces',
  priorityClasses: 'priorityclasses.scheduling.k8s.io',
  services: 'services',
  replicationControllers: 'replicationcontrollers',
  replicaSets: 'replicasets.apps',
  statefulSets: 'statefulsets.apps',
  pdbs: 'poddisruptionbudgets.policy',
} as const;

/** Reads one cluster's scheduling-relevant objects (the pods are passed in, already listed). */
export async function loadSnapshotInput(store: ObjectStore, clusterId: string, pods: KubeObject[]): Promise<SnapshotInput & { nodes: KubeObject[]; pvcs: KubeObject[]; pvs: KubeObject[] }> {
  const keys = Object.keys(RESOURCES) as (keyof typeof RESOURCES)[];
  const lists = await Promise.all(keys.map((k) => store.list(clusterId, RESOURCES[k])));
  const out = Object.fromEntries(keys.map((k, i) => [k, lists[i].items])) as Record<keyof typeof RESOURCES, KubeObject[]>;
  return { ...out, pods };
}
