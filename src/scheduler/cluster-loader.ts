import type { KubeObject } from '../kube/types.ts';
import type { ObjectStore } from '../store/objects.ts';
import type { SnapshotInput } from './snapshot.ts';

/** What decides whether a waiting pod is worth another attempt (see clusterStateHash). */
const CORE = { nodes: 'nodes', pvcs: 'persistentvolumeclaims', pvs: 'persistentvolumes' } as const;

/** Everything else the plugins consult. */
const EXTRA = {
  storageClasses: 'storageclasses.storage.k8s.io',
  namespaces: 'namespaces',
  priorityClasses: 'priorityclasses.scheduling.k8s.io',
  services: 'services',
  replicationControllers: 'replicationcontrollers',
  replicaSets: 'replicasets.apps',
  statefulSets: 'statefulsets.apps',
  pdbs: 'poddisruptionbudgets.policy',
} as const;

async function listAll<K extends string>(store: ObjectStore, clusterId: string, keys: Record<K, string>): Promise<Record<K, KubeObject[]>> {
  const names = Object.keys(keys) as K[];
  const lists = await Promise.all(names.map((k) => store.list(clusterId, keys[k])));
  return Object.fromEntries(names.map((k, i) => [k, lists[i].items])) as Record<K, KubeObject[]>;
}

export type CoreInput = { pods: KubeObject[] } & Record<keyof typeof CORE, KubeObject[]>;

/** Nodes and volumes (the pods are passed in, already listed). */
export async function loadCore(store: ObjectStore, clusterId: string, pods: KubeObject[]): Promise<CoreInput> {
  return { ...(await listAll(store, clusterId, CORE)), pods };
}

/** The rest of a snapshot's input, read only when some pod is actually scheduled. */
export async function loadSnapshotInput(store: ObjectStore, clusterId: string, core: CoreInput): Promise<SnapshotInput> {
  return { ...core, ...(await listAll(store, clusterId, EXTRA)) };
}
