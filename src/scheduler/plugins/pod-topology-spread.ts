import { compileLabelSelector, type LabelMatcher, type LabelSelector } from '../../kube/selectors/labels.ts';
import { requiredNodeAffinity, type NodeMatcher } from '../../kube/selectors/node-selector.ts';
import { findUntoleratedTaint, isHardTaint } from '../../kube/tolerations.ts';
import type { NodeInfo, PodInfo, Snapshot } from '../types.ts';

export const HOSTNAME_LABEL = 'kubernetes.io/hostname';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  matches: LabelMatcher;
  minDomains: number;
  honorNodeAffinity: boolean;
  honorNodeTaints: boolean;
  /** The selector is shared by the pods of the same workloads (system defaults), so counts can be cached. */
  shared?: boolean;
}

/**
 * Used when a pod states no constraints but belongs to a Service, ReplicationController, ReplicaSet
 * or StatefulSet (kube-scheduler's system defaults, both ScheduleAnyway).
 */
const SYSTEM_DEFAULTS = [
  { topologyKey: HOSTNAME_LABEL, maxSkew: 3 },
  { topologyKey: ZONE_LABEL, maxSkew: 5 },
];

/** The pod's constraints for one `whenUnsatisfiable` action, with defaults for unset fields. */
export function podConstraints(pod: PodInfo, action: 'DoNotSchedule' | 'ScheduleAnyway'): SpreadConstraint[] {
  const raw = pod.pod.spec?.topologySpreadConstraints ?? [];
  return raw
    .filter((c) => (c?.whenUnsatisfiable ?? 'DoNotSchedule') === action)
    .map((c) => {
      const selector: LabelSelector | undefined = c.labelSelector ? structuredClone(c.labelSelector) : undefined;
      // matchLabelKeys narrows the selector to pods sharing this pod's values (e.g. pod-template-hash).
      if (selector) {
        for (const k of c.matchLabelKeys ?? []) {
          if (pod.labels[k] !== undefined) (selector.matchExpressions ??= []).push({ key: k, operator: 'In', values: [pod.labels[k]] });
        }
      }
      return {
        maxSkew: Number(c.maxSkew ?? 1),
        topologyKey: c.topologyKey ?? '',
        matches: compileLabelSelector(selector),
        minDomains: Number(c.minDomains ?? 1),
        honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
        honorNodeTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
      };
    });
}

/**
 * System default constraints with a selector merged from every workload selecting the pod; [] when
 * none does. The merged selector is shared by all pods of the same workloads (a stable cache key).
 */
export function defaultConstraints(pod: PodInfo, snapshot: Snapshot): SpreadConstraint[] {
  const owners: number[] = [];
  snapshot.workloadSelectors.forEach((w, i) => {
    if (w.namespace === pod.namespace && w.matches(pod.labels)) owners.push(i);
  });
  if (owners.length === 0) return [];
  const key = `spread-owners|${owners.join(',')}`;
  let matches = snapshot.memo.get(key) as LabelMatcher | undefined;
  if (!matches) {
    const sel = owners.map((i) => snapshot.workloadSelectors[i].matches);
    matches = sel.length === 1 ? sel[0] : (labels) => sel.every((m) => m(labels));
    snapshot.memo.set(key, matches);
  }
  return SYSTEM_DEFAULTS.map((d) => ({ ...d, matches: matches!, minDomains: 1, honorNodeAffinity: true, honorNodeTaints: false, shared: true }));
}

/**
 * Matching pods per value of `topologyKey` over every node, for a shared selector: computed once
 * per snapshot and kept current through the snapshot's assume hooks as the pass binds pods.
 */
export function sharedDomainCounts(snapshot: Snapshot, c: SpreadConstraint, namespace: string): Map<string, number> {
  let byKey = snapshot.memo.get(c.matches) as Map<string, Map<string, number>> | undefined;
  if (!byKey) snapshot.memo.set(c.matches, (byKey = new Map()));
  const memoKey = `${namespace}|${c.topologyKey}`;
  let counts = byKey.get(memoKey);
  if (counts) return counts;
  const fresh = new Map<string, number>();
  for (const node of snapshot.nodes) {
    const v = node.labels[c.topologyKey];
    if (v !== undefined) fresh.set(v, (fresh.get(v) ?? 0) + countMatching(node, c.matches, namespace));
  }
  byKey.set(memoKey, fresh);
  snapshot.assumeHooks.push((node, p) => {
    const v = node.labels[c.topologyKey];
    if (v !== undefined && p.namespace === namespace && !p.terminating && c.matches(p.labels)) fresh.set(v, (fresh.get(v) ?? 0) + 1);
  });
  counts = fresh;
  return counts;
}

export function hasAllTopologyKeys(node: NodeInfo, constraints: SpreadConstraint[]): boolean {
  for (const c of constraints) if (node.labels[c.topologyKey] === undefined) return false;
  return true;
}

/** nodeAffinityPolicy / nodeTaintsPolicy: whether a node's domain counts for this pod. */
export function nodeIncluded(c: SpreadConstraint, pod: PodInfo, node: NodeInfo, affinity: NodeMatcher | undefined): boolean {
  if (c.honorNodeAffinity && affinity && !affinity(node)) return false;
  if (c.honorNodeTaints && findUntoleratedTaint(node.taints, pod.tolerations, isHardTaint)) return false;
  return true;
}

/** Matching pods on a node, skipping terminating pods and other namespaces. */
export function countMatching(node: NodeInfo, matches: LabelMatcher, namespace: string): number {
  let n = 0;
  for (const p of node.pods) if (!p.terminating && p.namespace === namespace && matches(p.labels)) n++;
  return n;
}

export function podAffinityMatcher(pod: PodInfo): NodeMatcher | undefined {
  return requiredNodeAffinity(pod.pod.spec);
}
