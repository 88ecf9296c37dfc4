import type { Pod, PodAffinityTerm, PodSpec, PriorityClass, WeightedPodAffinityTerm } from '../kube/objects.ts';
import { isBestEffort, podRequests } from '../lib/resources.ts';
import { compileLabelSelector, type LabelSelector } from '../kube/selectors/labels.ts';
import type { AffinityTerm, HostPort, PodInfo } from './types.ts';

/** Priority classes every cluster has (scheduling.k8s.io/v1 built-ins). */
export const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  'system-cluster-critical': 2_000_000_000,
  'system-node-critical': 2_000_001_000,
};

/**
 * The pod's priority and preemption policy. Admission normally resolves `priorityClassName` into
 * `spec.priority`; when it has not, the scheduler resolves it the same way (class value, else the
 * globalDefault class, else 0).
 */
export function resolvePriority(pod: Pod, classes?: Map<string, PriorityClass>): { priority: number; preemptionPolicy: string } {
  const spec: Partial<PodSpec> = pod.spec ?? {};
  let cls: PriorityClass | undefined;
  if (spec.priorityClassName) cls = classes?.get(spec.priorityClassName);
  else if (classes) for (const c of classes.values()) if (c.globalDefault === true) cls = c;
  let priority: number;
  if (typeof spec.priority === 'number') priority = spec.priority;
  else if (cls && typeof cls.value === 'number') priority = cls.value;
  else priority = SYSTEM_PRIORITY_CLASSES[spec.priorityClassName ?? ''] ?? 0;
  const preemptionPolicy = spec.preemptionPolicy ?? (cls?.preemptionPolicy as string | undefined) ?? 'PreemptLowerPriority';
  return { priority, preemptionPolicy };
}

/** Image names as the node reports them: no tag means `:latest`. */
export function normalizeImage(image: string): string {
  if (image.includes('@')) return image;
  const slash = image.lastIndexOf('/');
  return image.indexOf(':', slash + 1) < 0 ? `${image}:latest` : image;
}

function affinityTerms(pod: Pod, terms: (PodAffinityTerm | WeightedPodAffinityTerm)[] | undefined, weighted: boolean): AffinityTerm[] {
  if (!Array.isArray(terms)) return [];
  const ns = pod.metadata.namespace ?? 'default';
  const labels = pod.metadata.labels ?? {};
  return terms.map((raw) => {
    const term: Partial<PodAffinityTerm> = weighted ? ((raw as WeightedPodAffinityTerm)?.podAffinityTerm ?? {}) : ((raw as PodAffinityTerm) ?? {});
    const selector: LabelSelector | undefined = term.labelSelector ? structuredClone(term.labelSelector) : undefined;
    // matchLabelKeys / mismatchLabelKeys pin the selector to this pod's own label values.
    if (selector) {
      selector.matchExpressions ??= [];
      for (const k of term.matchLabelKeys ?? []) if (labels[k] !== undefined) selector.matchExpressions.push({ key: k, operator: 'In', values: [labels[k]] });
      for (const k of term.mismatchLabelKeys ?? [])
        if (labels[k] !== undefined) selector.matchExpressions.push({ key: k, operator: 'NotIn', values: [labels[k]] });
    }
    const explicit: string[] = term.namespaces ?? [];
    return {
      matches: compileLabelSelector(selector),
      namespaces: new Set(explicit.length === 0 && !term.namespaceSelector ? [ns] : explicit),
      namespaceSelector: term.namespaceSelector ? compileLabelSelector(term.namespaceSelector) : null,
      topologyKey: term.topologyKey ?? '',
      weight: weighted ? Number((raw as WeightedPodAffinityTerm)?.weight ?? 0) : 1,
    };
  });
}

function hostPorts(spec: Partial<PodSpec>): HostPort[] {
  const out: HostPort[] = [];
  const sidecars = (spec.initContainers ?? []).filter((c) => c?.restartPolicy === 'Always');
  for (const c of [...(spec.containers ?? []), ...sidecars]) {
    for (const p of c?.ports ?? []) {
      if (!p?.hostPort || p.hostPort <= 0) continue;
      out.push({ hostIP: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out;
}

/** `<namespace>/<claim>` of every PVC the pod mounts; a generic ephemeral volume's claim is `<pod>-<volume>`. */
export function claimKeys(pod: Pod): string[] {
  const ns = pod.metadata.namespace ?? 'default';
  const out: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v?.persistentVolumeClaim?.claimName) out.push(`${ns}/${v.persistentVolumeClaim.claimName}`);
    else if (v?.ephemeral) out.push(`${ns}/${pod.metadata.name}-${v.name}`);
  }
  return out;
}

export function computePodInfo(pod: Pod, classes?: Map<string, PriorityClass>): PodInfo {
  const spec: Partial<PodSpec> = pod.spec ?? {};
  const ns = pod.metadata.namespace ?? 'default';
  const { priority, preemptionPolicy } = resolvePriority(pod, classes);
  const requests = podRequests(pod);
  const nonZero = podRequests(pod, { nonMissing: true });
  const affinity = spec.affinity ?? {};
  const start = Date.parse(pod.status?.startTime ?? pod.metadata.creationTimestamp ?? '');
  const owner = pod.metadata.ownerReferences?.find((r) => r.controller) ?? pod.metadata.ownerReferences?.[0];
  return {
    pod,
    uid: pod.metadata.uid ?? `${ns}/${pod.metadata.name}`,
    name: pod.metadata.name ?? '',
    namespace: ns,
    labels: pod.metadata.labels ?? {},
    priority,
    preemptionPolicy,
    requests,
    nonZeroCpu: nonZero.cpu ?? 0,
    nonZeroMemory: nonZero.memory ?? 0,
    bestEffort: isBestEffort(pod),
    hostPorts: hostPorts(spec),
    requiredAffinity: affinityTerms(pod, affinity.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution, false),
    requiredAntiAffinity: affinityTerms(pod, affinity.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution, false),
    preferredAffinity: affinityTerms(pod, affinity.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution, true),
    preferredAntiAffinity: affinityTerms(pod, affinity.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution, true),
    tolerations: Array.isArray(spec.tolerations) ? spec.tolerations : [],
    claims: claimKeys(pod),
    images: [...(spec.initContainers ?? []), ...(spec.containers ?? [])].filter((c) => c?.image).map((c) => normalizeImage(c.image!)),
    terminating: Boolean(pod.metadata.deletionTimestamp),
    startTimeMs: Number.isFinite(start) ? start : 0,
    ownerUid: owner?.uid,
  };
}

export function hasPodAffinity(p: PodInfo): boolean {
  return p.requiredAffinity.length + p.requiredAntiAffinity.length + p.preferredAffinity.length + p.preferredAntiAffinity.length > 0;
}

/** Whether an affinity term selects `target` (namespace by name or by namespace labels, then pod labels). */
export function termMatchesPod(term: AffinityTerm, target: PodInfo, namespaceLabels: Map<string, Record<string, string>>): boolean {
  if (!term.namespaces.has(target.namespace)) {
    if (!term.namespaceSelector || !term.namespaceSelector(namespaceLabels.get(target.namespace) ?? {})) return false;
  }
  return term.matches(target.labels);
}
