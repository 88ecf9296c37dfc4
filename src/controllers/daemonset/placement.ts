import type { DaemonSet, Node, Pod, PodSpec, Toleration } from '../../kube/objects.ts';
import { findUntoleratedTaint } from '../../kube/tolerations.ts';
import { requiredNodeAffinity } from '../../kube/selectors/node-selector.ts';

/**
 * Tolerations every DaemonSet pod gets (AddOrUpdateDaemonPodTolerations): it stays through node
 * trouble and is placed on nodes that are cordoned or under pressure.
 */
export function daemonPodTolerations(spec: Pick<PodSpec, 'tolerations' | 'hostNetwork'> | undefined): Toleration[] {
  const tolerations: Toleration[] = [...(spec?.tolerations ?? [])];
  const add = (key: string, effect: Toleration['effect']) => {
    if (!tolerations.some((t) => t.key === key && t.operator === 'Exists' && t.effect === effect)) tolerations.push({ key, operator: 'Exists', effect });
  };
  add('node.kubernetes.io/not-ready', 'NoExecute');
  add('node.kubernetes.io/unreachable', 'NoExecute');
  add('node.kubernetes.io/disk-pressure', 'NoSchedule');
  add('node.kubernetes.io/memory-pressure', 'NoSchedule');
  add('node.kubernetes.io/pid-pressure', 'NoSchedule');
  add('node.kubernetes.io/unschedulable', 'NoSchedule');
  if (spec?.hostNetwork) add('node.kubernetes.io/network-unavailable', 'NoSchedule');
  return tolerations;
}

export interface NodeVerdict {
  /** A daemon pod should be placed here. */
  shouldRun: boolean;
  /** An existing daemon pod may stay (only untolerated NoExecute taints evict it). */
  shouldContinueRunning: boolean;
}

/**
 * NodeShouldRunDaemonPod: the DaemonSet simulates the scheduler's NodeName, NodeAffinity (with
 * nodeSelector) and TaintToleration filters, never resources: a pod that does not fit stays
 * Pending on its node.
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): NodeVerdict {
  const spec: Partial<PodSpec> = ds.spec?.template?.spec ?? {};
  const name = node.metadata.name!;
  if (spec.nodeName && spec.nodeName !== name) return { shouldRun: false, shouldContinueRunning: false };
  const matcher = requiredNodeAffinity(spec);
  if (matcher && !matcher({ name, labels: node.metadata.labels ?? {} })) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints ?? [];
  const tolerations = daemonPodTolerations(spec);
  const hard = findUntoleratedTaint(taints, tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  if (!hard) return { shouldRun: true, shouldContinueRunning: true };
  const evicting = findUntoleratedTaint(taints, tolerations, (t) => t.effect === 'NoExecute');
  return { shouldRun: false, shouldContinueRunning: !evicting };
}

/**
 * ReplaceDaemonSetPodNodeNameNodeAffinity: the pod's required node affinity becomes a single
 * `matchFields metadata.name In [<node>]` term, so the scheduler binds it to that node only.
 */
export function pinToNode(spec: PodSpec, nodeName: string): void {
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In' as const, values: [nodeName] }] };
  spec.affinity ??= {};
  spec.affinity.nodeAffinity ??= {};
  spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [term] };
}

/** GetTargetNodeName: the node a daemon pod is bound or pinned to. */
export function targetNodeOf(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) {
    for (const f of t.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

/** podByCreationTimestampAndPhase: scheduled pods first, then oldest, then by name. */
export function byCreationAndPhase(a: Pod, b: Pod): number {
  const sa = Boolean(a.spec?.nodeName);
  const sb = Boolean(b.spec?.nodeName);
  if (sa !== sb) return sa ? -1 : 1;
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}
