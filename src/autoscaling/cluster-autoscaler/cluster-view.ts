import type { KubeObject } from '../../kube/types.ts';
import type { ObjectStore } from '../../store/objects.ts';
import type { SnapshotInput } from '../../scheduler/index.ts';
import { loadSnapshotInput } from '../../scheduler/cluster-loader.ts';

type SimulationInputs =
  'pvcs' | 'pvs' | 'storageClasses' | 'namespaces' | 'priorityClasses' | 'services' | 'replicationControllers' | 'replicaSets' | 'statefulSets' | 'pdbs';

export type ClusterView = Required<Pick<SnapshotInput, SimulationInputs>> & { nodes: KubeObject[]; pods: KubeObject[] };

/** Reads what a scheduling simulation of the cluster needs (nodes and pods already listed), as the scheduler itself does. */
export async function loadClusterView(store: ObjectStore, clusterId: string, nodes: KubeObject[], pods: KubeObject[]): Promise<ClusterView> {
  const [pvcs, pvs] = await Promise.all([store.list(clusterId, 'persistentvolumeclaims'), store.list(clusterId, 'persistentvolumes')]);
  return (await loadSnapshotInput(store, clusterId, { nodes, pods, pvcs: pvcs.items, pvs: pvs.items })) as ClusterView;
}
