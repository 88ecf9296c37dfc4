import type { KubeObject } from '../kube/types.ts';
import { addInto, nodeAllocatable } from '../lib/resources.ts';
import { compileLabelSelector, compileMapSelector } from '../kube/selectors/labels.ts';
import { computePodInfo, hasPodAffinity, normalizeImage } from './pod-info.ts';
import type { Taint } from '../kube/tolerations.ts';
import type { NodeInfo, PodInfo, Snapshot, WorkloadSelector } from './types.ts';

export interface SnapshotInput {
  nodes: KubeObject[];
  pods: KubeObject[];
  pvcs?: KubeObject[];
  pvs?: KubeObject[];
  storageClasses?: KubeObject[];
  namespaces?: KubeObject[];
  priorityClasses?: KubeObject[];
  services?: KubeObject[];
  replicationControllers?: KubeObject[];
  replicaSets?: KubeObject[];
  statefulSets?: KubeObject[];
  pdbs?: KubeObject[];
}

/** Bound and not finished: such a pod holds its node's resources, ports and volumes. */
export function occupiesNode(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return Boolean(pod.spec?.nodeName) && phase !== 'Succeeded' && phase !== 'Failed';
}

export function newNodeInfo(node: KubeObject): NodeInfo {
  const images = new Map<string, number>();
  for (const img of node.status?.images ?? []) {
    for (const n of img?.names ?? []) images.set(normalizeImage(n), Number(img.sizeBytes ?? 0));
  }
  return {
    name: node.metadata.name ?? '',
    node,
    labels: node.metadata.labels ?? {},
    taints: (Array.isArray(node.spec?.taints) ? node.spec.taints : []) as Taint[],
    unschedulable: node.spec?.unschedulable === true,
    allocatable: nodeAllocatable(node),
    requested: {},
    nonZeroCpu: 0,
    nonZeroMemory: 0,
    pods: [],
    podsWithAffinity: [],
    podsWithRequiredAntiAffinity: [],
    usedPorts: [],
    claimRefs: new Map(),
    images,
  };
}

/** Accounts a pod on a node: requests, ports, claims and affinity indexes. */
export function addPodToNode(ni: NodeInfo, p: PodInfo): void {
  ni.pods.push(p);
  addInto(ni.requested, p.requests);
  ni.nonZeroCpu += p.nonZeroCpu;
  ni.nonZeroMemory += p.nonZeroMemory;
  if (hasPodAffinity(p)) ni.podsWithAffinity.push(p);
  if (p.requiredAntiAffinity.length > 0) ni.podsWithRequiredAntiAffinity.push(p);
  for (const port of p.hostPorts) ni.usedPorts.push(port);
  for (const c of p.claims) ni.claimRefs.set(c, (ni.claimRefs.get(c) ?? 0) + 1);
}

export function removePodFromNode(ni: NodeInfo, p: PodInfo): void {
  const idx = ni.pods.findIndex((x) => x.uid === p.uid);
  if (idx < 0) return;
  ni.pods.splice(idx, 1);
  addInto(ni.requested, p.requests, -1);
  ni.nonZeroCpu -= p.nonZeroCpu;
  ni.nonZeroMemory -= p.nonZeroMemory;
  ni.podsWithAffinity = ni.podsWithAffinity.filter((x) => x.uid !== p.uid);
  ni.podsWithRequiredAntiAffinity = ni.podsWithRequiredAntiAffinity.filter((x) => x.uid !== p.uid);
  for (const port of p.hostPorts) {
    const i = ni.usedPorts.indexOf(port);
    if (i >= 0) ni.usedPorts.splice(i, 1);
  }
  for (const c of p.claims) {
    const n = (ni.claimRefs.get(c) ?? 0) - 1;
    if (n > 0) ni.claimRefs.set(c, n);
    else ni.claimRefs.delete(c);
  }
}

/** A node info that can be changed without touching the original (preemption dry runs). */
export function cloneNodeInfo(ni: NodeInfo): NodeInfo {
  return {
    ...ni,
    requested: { ...ni.requested },
    pods: [...ni.pods],
    podsWithAffinity: [...ni.podsWithAffinity],
    podsWithRequiredAntiAffinity: [...ni.podsWithRequiredAntiAffinity],
    usedPorts: [...ni.usedPorts],
    claimRefs: new Map(ni.claimRefs),
  };
}

/** A node info for `node` holding `pods` (e.g. a node group's template node with its DaemonSet pods). */
export function nodeInfoFor(node: KubeObject, pods: KubeObject[] = [], priorityClasses?: Map<string, KubeObject>): NodeInfo {
  const ni = newNodeInfo(node);
  for (const pod of pods) addPodToNode(ni, computePodInfo(pod, priorityClasses));
  return ni;
}

/** The same snapshot with one node replaced (dry runs that add or remove pods on it). */
export function withNodeInfo(snapshot: Snapshot, ni: NodeInfo): Snapshot {
  const nodeMap = new Map(snapshot.nodeMap);
  nodeMap.set(ni.name, ni);
  return { ...snapshot, nodeMap, nodes: snapshot.nodes.map((n) => (n.name === ni.name ? ni : n)), memo: new Map(), assumeHooks: [] };
}

function byKey(objs: KubeObject[] | undefined, namespaced: boolean): Map<string, KubeObject> {
  const m = new Map<string, KubeObject>();
  for (const o of objs ?? []) m.set(namespaced ? `${o.metadata.namespace ?? 'default'}/${o.metadata.name}` : (o.metadata.name ?? ''), o);
  return m;
}

function workloadSelectors(input: SnapshotInput): WorkloadSelector[] {
  const out: WorkloadSelector[] = [];
  const ns = (o: KubeObject) => o.metadata.namespace ?? 'default';
  for (const s of input.services ?? [])
    if (s.spec?.selector && Object.keys(s.spec.selector).length) out.push({ namespace: ns(s), matches: compileMapSelector(s.spec.selector) });
  for (const rc of input.replicationControllers ?? []) if (rc.spec?.selector) out.push({ namespace: ns(rc), matches: compileMapSelector(rc.spec.selector) });
  for (const w of [...(input.replicaSets ?? []), ...(input.statefulSets ?? [])]) {
    if (w.spec?.selector) out.push({ namespace: ns(w), matches: compileLabelSelector(w.spec.selector) });
  }
  return out;
}

export function buildSnapshot(input: SnapshotInput): Snapshot {
  const priorityClasses = byKey(input.priorityClasses, false);
  const nodes = input.nodes.map(newNodeInfo).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const nodeMap = new Map(nodes.map((n) => [n.name, n]));
  const nominated = new Map<string, PodInfo[]>();
  for (const pod of input.pods) {
    if (occupiesNode(pod)) {
      const ni = nodeMap.get(pod.spec.nodeName);
      if (ni) addPodToNode(ni, computePodInfo(pod, priorityClasses));
    } else if (!pod.spec?.nodeName && pod.status?.nominatedNodeName && !pod.metadata.deletionTimestamp) {
      const list = nominated.get(pod.status.nominatedNodeName) ?? [];
      list.push(computePodInfo(pod, priorityClasses));
      nominated.set(pod.status.nominatedNodeName, list);
    }
  }
  const imageNodeCounts = new Map<string, number>();
  for (const n of nodes) for (const img of n.images.keys()) imageNodeCounts.set(img, (imageNodeCounts.get(img) ?? 0) + 1);
  const namespaceLabels = new Map<string, Record<string, string>>();
  for (const ns of input.namespaces ?? []) namespaceLabels.set(ns.metadata.name ?? '', ns.metadata.labels ?? {});
  return {
    nodes,
    nodeMap,
    pvcs: byKey(input.pvcs, true),
    pvs: byKey(input.pvs, false),
    storageClasses: byKey(input.storageClasses, false),
    namespaceLabels,
    priorityClasses,
    workloadSelectors: workloadSelectors(input),
    pdbs: input.pdbs ?? [],
    imageNodeCounts,
    nominated,
    memo: new Map(),
    assumeHooks: [],
  };
}

/** Drops plugin caches after a change they cannot follow (pods marked terminating, removed...). */
export function invalidateMemo(snapshot: Snapshot): void {
  snapshot.memo.clear();
  snapshot.assumeHooks.length = 0;
}

/** Records a binding in the snapshot so later pods of the same pass see it. */
export function assumePod(snapshot: Snapshot, p: PodInfo, nodeName: string): void {
  const ni = snapshot.nodeMap.get(nodeName);
  if (!ni) throw new Error(`node ${nodeName} is not in the snapshot`);
  removeNominated(snapshot, p);
  addPodToNode(ni, p);
  for (const hook of snapshot.assumeHooks) hook(ni, p);
}

export function removeNominated(snapshot: Snapshot, p: PodInfo): void {
  for (const [node, list] of snapshot.nominated) {
    const rest = list.filter((x) => x.uid !== p.uid);
    if (rest.length !== list.length) {
      if (rest.length) snapshot.nominated.set(node, rest);
      else snapshot.nominated.delete(node);
    }
  }
}

export function addNominated(snapshot: Snapshot, p: PodInfo, nodeName: string): void {
  removeNominated(snapshot, p);
  snapshot.nominated.set(nodeName, [...(snapshot.nominated.get(nodeName) ?? []), p]);
}
