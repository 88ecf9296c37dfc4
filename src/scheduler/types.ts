import type { Node, PersistentVolume, PersistentVolumeClaim, Pod, PodDisruptionBudget, PriorityClass, StorageClass } from '../kube/objects.ts';
import type { ResourceList } from '../lib/resources.ts';
import type { LabelMatcher } from '../kube/selectors/labels.ts';
import type { Taint, Toleration } from '../kube/tolerations.ts';

/** A pod affinity term with its selectors compiled. Namespaces are the term's own (or the pod's). */
export interface AffinityTerm {
  matches: LabelMatcher;
  /** Explicit namespaces; with no namespaces and no namespaceSelector, the owning pod's namespace. */
  namespaces: Set<string>;
  /** null when the term has no namespaceSelector (it then matches no namespace by labels). */
  namespaceSelector: LabelMatcher | null;
  topologyKey: string;
  weight: number;
}

export interface HostPort {
  hostIP: string;
  protocol: string;
  port: number;
}

/** Everything the plugins need from a pod, computed once per pass. */
export interface PodInfo {
  pod: Pod;
  uid: string;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  priority: number;
  preemptionPolicy: string;
  /** Requests as NodeResourcesFit counts them. */
  requests: ResourceList;
  /** cpu / memory with the 100m / 200Mi defaults, for scoring. */
  nonZeroCpu: number;
  nonZeroMemory: number;
  bestEffort: boolean;
  hostPorts: HostPort[];
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: AffinityTerm[];
  preferredAntiAffinity: AffinityTerm[];
  tolerations: Toleration[];
  /** `<namespace>/<claim>` of every PVC volume. */
  claims: string[];
  images: string[];
  terminating: boolean;
  /** When the pod started (status.startTime, else creation), for preemption tie-breaks. */
  startTimeMs: number;
  ownerUid?: string;
}

export interface NodeInfo {
  name: string;
  node: Node;
  labels: Record<string, string>;
  taints: Taint[];
  unschedulable: boolean;
  allocatable: ResourceList;
  requested: ResourceList;
  nonZeroCpu: number;
  nonZeroMemory: number;
  pods: PodInfo[];
  /** Pods that carry any pod (anti-)affinity term, for InterPodAffinity. */
  podsWithAffinity: PodInfo[];
  podsWithRequiredAntiAffinity: PodInfo[];
  usedPorts: HostPort[];
  /** `<namespace>/<claim>` → pods on this node using it. */
  claimRefs: Map<string, number>;
  /** Normalised image name → size in bytes, from status.images. */
  images: Map<string, number>;
}

/** The selectors of objects whose pods the default topology spreading keeps apart. */
export interface WorkloadSelector {
  namespace: string;
  matches: LabelMatcher;
}

/**
 * An in-memory view of one cluster for a scheduling pass: nodes with the pods bound to them, and
 * the objects plugins consult. The pass updates it as it binds, so it never re-reads the store.
 */
export interface Snapshot {
  nodes: NodeInfo[];
  nodeMap: Map<string, NodeInfo>;
  pvcs: Map<string, PersistentVolumeClaim>;
  pvs: Map<string, PersistentVolume>;
  storageClasses: Map<string, StorageClass>;
  namespaceLabels: Map<string, Record<string, string>>;
  priorityClasses: Map<string, PriorityClass>;
  /** Services, ReplicationControllers, ReplicaSets and StatefulSets (system default spreading). */
  workloadSelectors: WorkloadSelector[];
  pdbs: PodDisruptionBudget[];
  /** Normalised image name → number of nodes that have it. */
  imageNodeCounts: Map<string, number>;
  /** Pending pods nominated to a node by preemption; their resources are held for them. */
  nominated: Map<string, PodInfo[]>;
  /**
   * Plugin caches that live as long as the snapshot (e.g. matching pods per zone). A cache that
   * must follow bindings registers an `assumeHooks` entry; any other change clears both.
   */
  memo: Map<unknown, unknown>;
  assumeHooks: ((node: NodeInfo, pod: PodInfo) => void)[];
}
