import type { Container as ContainerSpec, ContainerStatus } from '../../kube/objects.ts';
import type { KubeObject } from '../../kube/types.ts';
import { toResourceList } from '../../lib/resources.ts';
import { POD_PHASES } from '../snapshot.ts';
import { condition, isUnschedulable } from '../object-facts.ts';
import { CONDITION_VALUES, conditionValue, unixSeconds, type Labels } from './families.ts';
import { family, gauge, info, stateSet, type KindMetrics, type PartFamilies, type Sample } from './kube-state.ts';
import { ownerSamples } from './kube-state-workloads.ts';

/** KSM's resource label and unit for a resource name: cores, bytes or plain integers. */
export function resourceUnit(name: string): { resource: string; unit: string; scale: number } {
  if (name === 'cpu') return { resource: 'cpu', unit: 'core', scale: 1 / 1000 };
  if (name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-')) return { resource: name.replace(/-/g, '_'), unit: 'byte', scale: 1 };
  return { resource: name.replace(/[^a-zA-Z0-9_]/g, '_'), unit: 'integer', scale: 1 };
}

/** One series per resource of a resource list, labelled and scaled as KSM does. */
export function resourceSamples(list: unknown, labels: Labels): Sample[] {
  return Object.entries(toResourceList(list as Record<string, unknown> | undefined)).map(([name, amount]) => {
    const u = resourceUnit(name);
    return { labels: { ...labels, resource: u.resource, unit: u.unit }, value: amount * u.scale };
  });
}

/** An app container of a pod with its status, if the kubelet reported one. */
interface Container {
  pod: KubeObject;
  spec: ContainerSpec;
  status: ContainerStatus | undefined;
}

const containerResources = (kind: 'requests' | 'limits') =>
  family<Container>(
    `kube_pod_container_resource_${kind}`,
    `The number of ${kind === 'requests' ? 'requested' : 'limit'} resource by a container.`,
    (c, labels) => resourceSamples(c.spec.resources?.[kind], { ...labels, node: c.pod.spec?.nodeName ?? '' }),
  );

/** A series only once the container has a status. */
const statusGauge = (name: string, help: string, value: (s: ContainerStatus) => number | undefined, type?: 'counter') =>
  gauge<Container>(name, help, (c) => (c.status ? value(c.status) : undefined), type);
const statusReason = (name: string, help: string, reason: (s: ContainerStatus) => string | undefined) =>
  info<Container>(name, help, (c) => {
    const r = c.status ? reason(c.status) : undefined;
    return r ? { reason: r } : undefined;
  });

// Init containers have their own kube_pod_init_container_* families in KSM; these are app containers.
const containerFamilies: PartFamilies<KubeObject, Container> = {
  parts: (pod) => {
    const statuses = new Map<string, ContainerStatus>((pod.status?.containerStatuses ?? []).map((s: ContainerStatus) => [s.name, s]));
    return (pod.spec?.containers ?? []).map((spec: ContainerSpec) => ({ pod, spec, status: statuses.get(spec.name) }));
  },
  labels: (c, labels) => ({ ...labels, container: c.spec.name }),
  families: [
    info<Container>('kube_pod_container_info', 'Information about a container in a pod.', ({ spec, status: s }) => ({
      image: s?.image ?? spec.image ?? '',
      image_id: s?.imageID ?? '',
      image_spec: spec.image ?? '',
      container_id: s?.containerID ?? '',
    })),
    containerResources('requests'),
    containerResources('limits'),
    statusGauge('kube_pod_container_status_ready', 'Describes whether the containers readiness check succeeded.', (s) => (s.ready ? 1 : 0)),
    statusGauge('kube_pod_container_status_running', 'Describes whether the container is currently in running state.', (s) => (s.state?.running ? 1 : 0)),
    statusGauge('kube_pod_container_status_waiting', 'Describes whether the container is currently in waiting state.', (s) => (s.state?.waiting ? 1 : 0)),
    statusGauge('kube_pod_container_status_terminated', 'Describes whether the container is currently in terminated state.', (s) =>
      s.state?.terminated ? 1 : 0,
    ),
    statusReason(
      'kube_pod_container_status_waiting_reason',
      'Describes the reason the container is currently in waiting state.',
      (s) => s.state?.waiting?.reason,
    ),
    statusReason(
      'kube_pod_container_status_terminated_reason',
      'Describes the reason the container is currently in terminated state.',
      (s) => s.state?.terminated?.reason,
    ),
    statusReason(
      'kube_pod_container_status_last_terminated_reason',
      'Describes the last reason the container was in terminated state.',
      (s) => s.lastState?.terminated?.reason,
    ),
    statusGauge('kube_pod_container_status_last_terminated_exitcode', 'Describes the exit code for the last container in terminated state.', (s) => {
      const last = s.lastState?.terminated;
      return last && typeof last.exitCode === 'number' ? last.exitCode : undefined;
    }),
    statusGauge('kube_pod_container_status_restarts_total', 'The number of container restarts per container.', (s) => s.restartCount ?? 0, 'counter'),
  ],
};

/** A pod condition as a state set, when the pod has it. */
const podCondition =
  (type: string) =>
  (pod: KubeObject, labels: Labels): Sample[] => {
    const c = condition(pod, type);
    return c ? stateSet(labels, 'condition', CONDITION_VALUES, conditionValue(c.status)) : [];
  };

function podInfo(pod: KubeObject): Labels {
  const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  const st = pod.status ?? {};
  return {
    host_ip: st.hostIP ?? '',
    pod_ip: st.podIP ?? '',
    node: pod.spec?.nodeName ?? '',
    created_by_kind: owner?.kind ?? '',
    created_by_name: owner?.name ?? '',
    priority_class: pod.spec?.priorityClassName ?? '',
    host_network: String(Boolean(pod.spec?.hostNetwork)),
  };
}

/** kube-state-metrics' pod families (names, labels and enumerations as KSM emits them). */
export const podMetrics: KindMetrics = {
  resource: 'pods',
  labels: (pod) => ({ namespace: pod.metadata.namespace ?? '', pod: pod.metadata.name!, uid: pod.metadata.uid ?? '' }),
  families: [
    info('kube_pod_info', 'Information about pod.', podInfo),
    family('kube_pod_status_phase', 'The pods current phase.', (pod, labels) => stateSet(labels, 'phase', POD_PHASES, pod.status?.phase ?? 'Pending')),
    family('kube_pod_status_ready', 'Describes whether the pod is ready to serve requests.', podCondition('Ready')),
    family('kube_pod_status_scheduled', 'Describes the status of the scheduling process for the pod.', podCondition('PodScheduled')),
    gauge('kube_pod_status_unschedulable', 'Describes the unschedulable status for the pod.', (pod) => (isUnschedulable(pod) ? 1 : undefined)),
    info('kube_pod_status_reason', 'The pod status reasons', (pod) => (pod.status?.reason ? { reason: pod.status.reason } : undefined)),
    family('kube_pod_owner', "Information about the Pod's owner.", ownerSamples),
    gauge('kube_pod_created', 'Unix creation timestamp', (pod) => unixSeconds(pod.metadata.creationTimestamp)),
    gauge('kube_pod_start_time', 'Start time in unix timestamp for a pod.', (pod) => unixSeconds(pod.status?.startTime)),
    gauge('kube_pod_deletion_timestamp', 'Unix deletion timestamp', (pod) => unixSeconds(pod.metadata.deletionTimestamp)),
    containerFamilies,
  ],
};
