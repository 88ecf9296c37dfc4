/* eslint-disable @typescript-eslint/no-explicit-any */
import { compileLabelSelector, type LabelMatcher, type LabelSelector } from '../label-selector.ts';
import { requiredNodeAffinity, type NodeMatcher } from '../node-selector.ts';
import { findUntoleratedTaint, isHardTaint } from '../tolerations.ts';
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
  const raw: any[] = pod.pod.spec?.topologySpreadConstraints ?? [];
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

/** System default constraints with a selector merged from every workload selecting the pod; [] when none does. */
export function defaultConstraints(pod: PodInfo, snapshot: Snapshot): SpreadConstraint[] {
  const owners = snapshot.workloadSelectors.filter((w) => w.namespace === pod.namespace && w.matches(pod.labels));
  if (owners.length === 0) return [];
  const matches: LabelMatcher = (labels) => owners.every((w) => w.matches(labels));
  return SYSTEM_DEFAULTS.map((d) => ({ ...d, matches, minDomains: 1, honorNodeAffinity: true, honorNodeTaints: false }));
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
