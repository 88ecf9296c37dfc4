import type { ObjectStore } from '../../store/objects.ts';
import type { PodSpec, RuntimeClass, Toleration } from '../objects.ts';
import type { KubeObject } from '../types.ts';
import { failure } from '../status.ts';
import { applyLimitRangeDefaults, type LimitItem } from './limitranges.ts';
import { qosClass } from '../defaults/pod.ts';
import { admitPodWithVpa } from './vpa/admission.ts';
import { mountServiceAccountToken } from './service-account.ts';

/** The built-in PriorityClasses every cluster has. */
const SYSTEM_PRIORITY: Record<string, number> = { 'system-cluster-critical': 2000000000, 'system-node-critical': 2000001000 };

/** DefaultTolerationSeconds: 300 s for not-ready and unreachable nodes, unless the pod says otherwise. */
function addDefaultTolerations(spec: PodSpec): void {
  const tolerations: Toleration[] = (spec.tolerations ??= []);
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    const has = tolerations.some((t) => (t.key === key || (t.operator === 'Exists' && !t.key)) && (!t.effect || t.effect === 'NoExecute'));
    if (!has) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
}

async function resolvePriority(store: ObjectStore, clusterId: string, pod: KubeObject): Promise<void> {
  const spec = pod.spec;
  if (spec.priorityClassName) {
    const builtin = SYSTEM_PRIORITY[spec.priorityClassName];
    const pc = builtin === undefined ? await store.get(clusterId, 'priorityclasses.scheduling.k8s.io', '', spec.priorityClassName) : undefined;
    if (builtin === undefined && !pc) {
      throw failure(403, 'Forbidden', `pods "${pod.metadata.name}" is forbidden: no PriorityClass with name ${spec.priorityClassName} was found`);
    }
    spec.priority = builtin ?? (pc!.value as number) ?? 0;
    spec.preemptionPolicy ??= (pc?.preemptionPolicy as string) ?? 'PreemptLowerPriority';
    return;
  }
  if (spec.priority === undefined) {
    const all = await store.list(clusterId, 'priorityclasses.scheduling.k8s.io', { filter: (o) => o.globalDefault === true });
    const def = all.items.sort((a, b) => ((b.value as number) ?? 0) - ((a.value as number) ?? 0))[0];
    if (def) {
      spec.priorityClassName = def.metadata.name;
      spec.priority = (def.value as number) ?? 0;
      spec.preemptionPolicy ??= (def.preemptionPolicy as string) ?? 'PreemptLowerPriority';
    } else spec.priority = 0;
  }
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
}

/** RuntimeClass admission: the class's fixed overhead, node selector and tolerations join the pod. */
async function applyRuntimeClass(store: ObjectStore, clusterId: string, spec: PodSpec): Promise<void> {
  if (!spec.runtimeClassName) return;
  const rc: RuntimeClass | undefined = await store.get(clusterId, 'runtimeclasses.node.k8s.io', '', spec.runtimeClassName);
  if (!rc) throw failure(403, 'Forbidden', `pod rejected: RuntimeClass "${spec.runtimeClassName}" not found`);
  const overhead = rc.overhead?.podFixed;
  if (overhead && !spec.overhead) spec.overhead = { ...overhead };
  const sched = rc.scheduling;
  if (sched?.nodeSelector) spec.nodeSelector = { ...sched.nodeSelector, ...(spec.nodeSelector ?? {}) };
  if (sched?.tolerations) spec.tolerations = [...(spec.tolerations ?? []), ...sched.tolerations];
}

/**
 * The mutating admission a pod goes through when it is created through the API: service account,
 * priority, RuntimeClass, LimitRange defaults and default tolerations. Exported for controllers
 * that create pods directly in the store, so their pods look the same.
 */
export async function admitNewPod(store: ObjectStore, clusterId: string, pod: KubeObject, limitItems?: LimitItem[]): Promise<void> {
  const spec = (pod.spec ??= {});
  if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || 'default';
  spec.serviceAccount = spec.serviceAccountName;
  await mountServiceAccountToken(store, clusterId, pod);
  await resolvePriority(store, clusterId, pod);
  await applyRuntimeClass(store, clusterId, spec);
  await applyLimitRangeDefaults(store, clusterId, pod, limitItems);
  addDefaultTolerations(spec);
  // The VerticalPodAutoscaler admission webhook runs after the built-in plugins.
  await admitPodWithVpa(store, clusterId, pod);
  // The QoS class is stamped after mutating admission, so LimitRange defaults count.
  pod.status = { ...(pod.status ?? {}), phase: pod.status?.phase ?? 'Pending', qosClass: qosClass(spec) };
}
