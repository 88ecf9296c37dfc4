import type { KubeObject } from '../../kube/types.ts';
import type { ObjectStore } from '../../store/objects.ts';
import type { SnapshotInput } from '../../scheduler/index.ts';

/** Every object the scheduler's plugins consult, besides nodes and pods. */
const RESOURCES = {
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

export type ClusterView = Required<Pick<SnapshotInput, keyof typeof RESOURCES>> & { nodes: KubeObject[]; pods: KubeObject[] };

/** Reads what a scheduling simulation of the cluster needs (nodes and pods already listed). */
export async function loadClusterView(store: ObjectStore, clusterId: string, nodes: KubeObject[], pods: KubeObject[]): Promise<ClusterView> {
  const keys = Object.keys(RESOURCES) as (keyof typeof RESOURCES)[];
  const lists = await Promise.all(keys.map((k) => store.list(clusterId, RESOURCES[k])));
  const rest = Object.fromEntries(keys.map((k, i) => [k, lists[i].items])) as Record<keyof typeof RESOURCES, KubeObject[]>;
  return { ...rest, nodes, pods };
}
