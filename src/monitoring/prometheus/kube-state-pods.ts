/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KubeObject } from '../../kube/types.ts';
import { toResourceList } from '../../lib/resources.ts';
import { POD_PHASES } from '../snapshot.ts';
import { condition, isUnschedulable } from '../object-facts.ts';
import { CONDITION_VALUES, conditionValue, unixSeconds, type FamilySet } from './families.ts';

/** KSM's resource label and unit for a resource name: cores, bytes or plain integers. */
export function resourceUnit(name: string): { resource: string; unit: string; scale: number } {
  if (name === 'cpu') return { resource: 'cpu', unit: 'core', scale: 1 / 1000 };
  if (name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-')) return { resource: name.replace(/-/g, '_'), unit: 'byte', scale: 1 };
  return { resource: name.replace(/[^a-zA-Z0-9_]/g, '_'), unit: 'integer', scale: 1 };
}

function containerFamilies(f: FamilySet, pod: KubeObject, base: Record<string, string>): void {
  // Init containers have their own kube_pod_init_container_* families in KSM; these are app containers.
  const statuses = new Map<string, any>((pod.status?.containerStatuses ?? []).map((s: any) => [s.name, s]));
  const node = pod.spec?.nodeName ?? '';
  for (const c of pod.spec?.containers ?? []) {
    const labels = { ...base, container: c.name };
    const s = statuses.get(c.name);
    f.add('kube_pod_container_info', 'Information about a container in a pod.', { ...labels, image: s?.image ?? c.image ?? '', image_id: s?.imageID ?? '', image_spec: c.image ?? '', container_id: s?.containerID ?? '' }, 1);
    for (const [kind, rl] of [['requests', c.resources?.requests], ['limits', c.resources?.limits]] as const) {
      for (const [name, amount] of Object.entries(toResourceList(rl))) {
        const u = resourceUnit(name);
        f.add(`kube_pod_container_resource_${kind}`, `The number of ${kind === 'requests' ? 'requested' : 'limit'} resource by a container.`, { ...labels, node, resource: u.resource, unit: u.unit }, amount * u.scale);
      }
    }
    if (!s) continue;
    f.add('kube_pod_container_status_ready', 'Describes whether the containers readiness check succeeded.', labels, s.ready ? 1 : 0);
    f.add('kube_pod_container_status_running', 'Describes whether the container is currently in running state.', labels, s.state?.running ? 1 : 0);
    f.add('kube_pod_container_status_waiting', 'Describes whether the container is currently in waiting state.', labels, s.state?.waiting ? 1 : 0);
    f.add('kube_pod_container_status_terminated', 'Describes whether the container is currently in terminated state.', labels, s.state?.terminated ? 1 : 0);
    if (s.state?.waiting?.reason) f.add('kube_pod_container_status_waiting_reason', 'Describes the reason the container is currently in waiting state.', { ...labels, reason: s.state.waiting.reason }, 1);
    if (s.state?.terminated?.reason) f.add('kube_pod_container_status_terminated_reason', 'Describes the reason the container is currently in terminated state.', { ...labels, reason: s.state.terminated.reason }, 1);
    const last = s.lastState?.terminated;
    if (last?.reason) f.add('kube_pod_container_status_last_terminated_reason', 'Describes the last reason the container was in terminated state.', { ...labels, reason: last.reason }, 1);
    if (last && typeof last.exitCode === 'number') f.add('kube_pod_container_status_last_terminated_exitcode', 'Describes the exit code for the last container in terminated state.', labels, last.exitCode);
    f.add('kube_pod_container_status_restarts_total', 'The number of container restarts per container.', labels, s.restartCount ?? 0, 'counter');
  }
}

/** kube-state-metrics' pod families (names, labels and enumerations as KSM emits them). */
export function podFamilies(f: FamilySet, pods: KubeObject[]): void {
  for (const pod of pods) {
    const base = { namespace: pod.metadata.namespace ?? '', pod: pod.metadata.name!, uid: pod.metadata.uid ?? '' };
    const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
    const st = pod.status ?? {};
    f.add('kube_pod_info', 'Information about pod.', {
      ...base,
      host_ip: st.hostIP ?? '',
      pod_ip: st.podIP ?? '',
      node: pod.spec?.nodeName ?? '',
      created_by_kind: owner?.kind ?? '',
      created_by_name: owner?.name ?? '',
      priority_class: pod.spec?.priorityClassName ?? '',
      host_network: String(Boolean(pod.spec?.hostNetwork)),
    }, 1);
    f.addEnum('kube_pod_status_phase', 'The pods current phase.', base, 'phase', POD_PHASES, st.phase ?? 'Pending');
    const ready = condition(pod, 'Ready');
    if (ready) f.addEnum('kube_pod_status_ready', 'Describes whether the pod is ready to serve requests.', base, 'condition', CONDITION_VALUES, conditionValue(ready.status));
    const scheduled = condition(pod, 'PodScheduled');
    if (scheduled) f.addEnum('kube_pod_status_scheduled', 'Describes the status of the scheduling process for the pod.', base, 'condition', CONDITION_VALUES, conditionValue(scheduled.status));
    if (isUnschedulable(pod)) f.add('kube_pod_status_unschedulable', 'Describes the unschedulable status for the pod.', base, 1);
    if (st.reason) f.add('kube_pod_status_reason', 'The pod status reasons', { ...base, reason: st.reason }, 1);
    for (const o of pod.metadata.ownerReferences ?? []) {
      f.add('kube_pod_owner', 'Information about the Pod\'s owner.', { ...base, owner_kind: o.kind, owner_name: o.name, owner_is_controller: String(Boolean(o.controller)) }, 1);
    }
    const created = unixSeconds(pod.metadata.creationTimestamp);
    if (created !== undefined) f.add('kube_pod_created', 'Unix creation timestamp', base, created);
    const started = unixSeconds(st.startTime);
    if (started !== undefined) f.add('kube_pod_start_time', 'Start time in unix timestamp for a pod.', base, started);
    const deleting = unixSeconds(pod.metadata.deletionTimestamp);
    if (deleting !== undefined) f.add('kube_pod_deletion_timestamp', 'Unix deletion timestamp', base, deleting);
    containerFamilies(f, pod, base);
  }
}
