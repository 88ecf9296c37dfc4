import type { NodeCondition, Taint } from '../../kube/objects.ts';
import type { KubeObject } from '../../kube/types.ts';
import { parseQuantityInt } from '../../lib/quantity.ts';
import { CONDITION_VALUES, conditionValue, type Labels } from './families.ts';
import { family, gauge, info, stateSet, type KindMetrics, type Sample } from './kube-state.ts';
import { resourceSamples } from './kube-state-pods.ts';

const NODE_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];

function nodeInfo(n: KubeObject): Labels {
  const info = n.status?.nodeInfo ?? {};
  return {
    kernel_version: info.kernelVersion ?? '',
    os_image: info.osImage ?? '',
    container_runtime_version: info.containerRuntimeVersion ?? '',
    kubelet_version: info.kubeletVersion ?? '',
    kubeproxy_version: info.kubeProxyVersion ?? '',
    pod_cidr: n.spec?.podCIDR ?? '',
    provider_id: n.spec?.providerID ?? '',
    system_uuid: info.systemUUID ?? '',
    internal_ip: (n.status?.addresses ?? []).find((a: { type: string; address: string }) => a.type === 'InternalIP')?.address ?? '',
  };
}

const nodeConditions = (n: KubeObject, labels: Labels): Sample[] =>
  (n.status?.conditions ?? [])
    .filter((c: NodeCondition) => NODE_CONDITIONS.includes(c.type))
    .flatMap((c: NodeCondition) => stateSet({ ...labels, condition: c.type }, 'status', CONDITION_VALUES, conditionValue(c.status)));

const nodeRoles = (n: KubeObject, labels: Labels): Sample[] =>
  Object.keys(n.metadata.labels ?? {}).flatMap((key) => {
    const m = /^node-role\.kubernetes\.io\/(.+)$/.exec(key);
    return m ? [{ labels: { ...labels, role: m[1] }, value: 1 }] : [];
  });

export const nodeMetrics: KindMetrics = {
  resource: 'nodes',
  clusterScoped: true,
  labels: (n) => ({ node: n.metadata.name! }),
  families: [
    info('kube_node_info', 'Information about a cluster node.', nodeInfo),
    family('kube_node_status_capacity', 'The capacity for different resources of a node.', (n, labels) => resourceSamples(n.status?.capacity, labels)),
    family('kube_node_status_allocatable', 'The allocatable for different resources of a node that are available for scheduling.', (n, labels) =>
      resourceSamples(n.status?.allocatable, labels),
    ),
    family('kube_node_status_condition', 'The condition of a cluster node.', nodeConditions),
    gauge('kube_node_spec_unschedulable', 'Whether a node can schedule new pods.', (n) => (n.spec?.unschedulable ? 1 : 0)),
    family('kube_node_spec_taint', 'The taint of a cluster node.', (n, labels) =>
      (n.spec?.taints ?? []).map((t: Taint) => ({ labels: { ...labels, key: t.key, value: t.value ?? '', effect: t.effect }, value: 1 })),
    ),
    family('kube_node_role', 'The role of a cluster node.', nodeRoles),
  ],
};

export const namespaceMetrics: KindMetrics = {
  resource: 'namespaces',
  clusterScoped: true,
  labels: (n) => ({ namespace: n.metadata.name! }),
  families: [
    family('kube_namespace_status_phase', 'kubernetes namespace status phase.', (n, labels) =>
      stateSet(labels, 'phase', ['Active', 'Terminating'], n.status?.phase ?? 'Active'),
    ),
  ],
};

export const serviceMetrics: KindMetrics = {
  resource: 'services',
  labels: (s) => ({ namespace: s.metadata.namespace ?? '', service: s.metadata.name!, uid: s.metadata.uid ?? '' }),
  families: [
    info('kube_service_info', 'Information about service.', (s) => ({
      cluster_ip: s.spec?.clusterIP ?? '',
      external_name: s.spec?.externalName ?? '',
      load_balancer_ip: s.spec?.loadBalancerIP ?? '',
    })),
    info('kube_service_spec_type', 'Type about service.', (s) => ({ type: s.spec?.type ?? 'ClusterIP' })),
    family('kube_service_status_load_balancer_ingress', 'Service load balancer ingress status', (s, labels) =>
      (s.status?.loadBalancer?.ingress ?? []).map((ing: { ip?: string; hostname?: string }) => ({
        labels: { ...labels, ip: ing.ip ?? '', hostname: ing.hostname ?? '' },
        value: 1,
      })),
    ),
  ],
};

function bytes(q: unknown): number | undefined {
  try {
    return typeof q === 'string' || typeof q === 'number' ? parseQuantityInt(q) : undefined;
  } catch {
    return undefined;
  }
}

export const claimMetrics: KindMetrics = {
  resource: 'persistentvolumeclaims',
  labels: (c) => ({ namespace: c.metadata.namespace ?? '', persistentvolumeclaim: c.metadata.name! }),
  families: [
    family('kube_persistentvolumeclaim_status_phase', 'The phase the persistent volume claim is currently in.', (c, labels) =>
      stateSet(labels, 'phase', ['Pending', 'Bound', 'Lost'], c.status?.phase ?? 'Pending'),
    ),
    info('kube_persistentvolumeclaim_info', 'Information about persistent volume claim.', (c) => ({
      storageclass: c.spec?.storageClassName ?? '',
      volumename: c.spec?.volumeName ?? '',
      volumemode: c.spec?.volumeMode ?? 'Filesystem',
    })),
    gauge('kube_persistentvolumeclaim_resource_requests_storage_bytes', 'The capacity of storage requested by the persistent volume claim.', (c) =>
      bytes(c.spec?.resources?.requests?.storage),
    ),
    family('kube_persistentvolumeclaim_access_mode', 'The access mode(s) specified by the persistent volume claim.', (c, labels) =>
      (c.spec?.accessModes ?? []).map((mode: string) => ({ labels: { ...labels, access_mode: mode }, value: 1 })),
    ),
  ],
};

export const volumeMetrics: KindMetrics = {
  resource: 'persistentvolumes',
  clusterScoped: true,
  labels: (v) => ({ persistentvolume: v.metadata.name! }),
  families: [
    family('kube_persistentvolume_status_phase', 'The phase indicates if a volume is available, bound to a claim, or released by a claim.', (v, labels) =>
      stateSet(labels, 'phase', ['Pending', 'Available', 'Bound', 'Released', 'Failed'], v.status?.phase ?? 'Pending'),
    ),
    gauge('kube_persistentvolume_capacity_bytes', 'Persistentvolumes capacity in bytes.', (v) => bytes(v.spec?.capacity?.storage)),
    info('kube_persistentvolume_info', 'Information about persistentvolume.', (v) => ({
      storageclass: v.spec?.storageClassName ?? '',
      reclaim_policy: v.spec?.persistentVolumeReclaimPolicy ?? '',
    })),
    info('kube_persistentvolume_claim_ref', 'Information about the Persistent Volume Claim Reference.', (v) =>
      v.spec?.claimRef ? { claim_namespace: v.spec.claimRef.namespace ?? '', name: v.spec.claimRef.name ?? '' } : undefined,
    ),
  ],
};
