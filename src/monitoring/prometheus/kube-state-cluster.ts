/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KubeObject } from '../../kube/types.ts';
import { toResourceList } from '../../lib/resources.ts';
import { parseQuantityInt } from '../../lib/quantity.ts';
import { CONDITION_VALUES, conditionValue, type FamilySet } from './families.ts';
import { resourceUnit } from './kube-state-pods.ts';

const NODE_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];

export function nodeFamilies(f: FamilySet, nodes: KubeObject[]): void {
  for (const n of nodes) {
    const l = { node: n.metadata.name! };
    const info = n.status?.nodeInfo ?? {};
    const internalIp = (n.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address ?? '';
    f.add('kube_node_info', 'Information about a cluster node.', {
      ...l,
      kernel_version: info.kernelVersion ?? '',
      os_image: info.osImage ?? '',
      container_runtime_version: info.containerRuntimeVersion ?? '',
      kubelet_version: info.kubeletVersion ?? '',
      kubeproxy_version: info.kubeProxyVersion ?? '',
      pod_cidr: n.spec?.podCIDR ?? '',
      provider_id: n.spec?.providerID ?? '',
      system_uuid: info.systemUUID ?? '',
      internal_ip: internalIp,
    }, 1);
    for (const [family, list, help] of [
      ['kube_node_status_capacity', n.status?.capacity, 'The capacity for different resources of a node.'],
      ['kube_node_status_allocatable', n.status?.allocatable, 'The allocatable for different resources of a node that are available for scheduling.'],
    ] as const) {
      for (const [name, amount] of Object.entries(toResourceList(list))) {
        const u = resourceUnit(name);
        f.add(family, help, { ...l, resource: u.resource, unit: u.unit }, amount * u.scale);
      }
    }
    for (const c of n.status?.conditions ?? []) {
      if (!NODE_CONDITIONS.includes(c.type)) continue;
      f.addEnum('kube_node_status_condition', 'The condition of a cluster node.', { ...l, condition: c.type }, 'status', CONDITION_VALUES, conditionValue(c.status));
    }
    f.add('kube_node_spec_unschedulable', 'Whether a node can schedule new pods.', l, n.spec?.unschedulable ? 1 : 0);
    for (const t of n.spec?.taints ?? []) f.add('kube_node_spec_taint', 'The taint of a cluster node.', { ...l, key: t.key, value: t.value ?? '', effect: t.effect }, 1);
    for (const key of Object.keys(n.metadata.labels ?? {})) {
      const m = /^node-role\.kubernetes\.io\/(.+)$/.exec(key);
      if (m) f.add('kube_node_role', 'The role of a cluster node.', { ...l, role: m[1] }, 1);
    }
  }
}

export function namespaceFamilies(f: FamilySet, namespaces: KubeObject[]): void {
  for (const n of namespaces) {
    f.addEnum('kube_namespace_status_phase', 'kubernetes namespace status phase.', { namespace: n.metadata.name! }, 'phase', ['Active', 'Terminating'], n.status?.phase ?? 'Active');
  }
}

export function serviceFamilies(f: FamilySet, services: KubeObject[]): void {
  for (const s of services) {
    const l = { namespace: s.metadata.namespace ?? '', service: s.metadata.name!, uid: s.metadata.uid ?? '' };
    f.add('kube_service_info', 'Information about service.', { ...l, cluster_ip: s.spec?.clusterIP ?? '', external_name: s.spec?.externalName ?? '', load_balancer_ip: s.spec?.loadBalancerIP ?? '' }, 1);
    f.add('kube_service_spec_type', 'Type about service.', { ...l, type: s.spec?.type ?? 'ClusterIP' }, 1);
    for (const ing of s.status?.loadBalancer?.ingress ?? []) {
      f.add('kube_service_status_load_balancer_ingress', 'Service load balancer ingress status', { ...l, ip: ing.ip ?? '', hostname: ing.hostname ?? '' }, 1);
    }
  }
}

function bytes(q: unknown): number | undefined {
  try {
    return typeof q === 'string' || typeof q === 'number' ? parseQuantityInt(q) : undefined;
  } catch {
    return undefined;
  }
}

export function volumeFamilies(f: FamilySet, claims: KubeObject[], volumes: KubeObject[]): void {
  for (const c of claims) {
    const l = { namespace: c.metadata.namespace ?? '', persistentvolumeclaim: c.metadata.name! };
    f.addEnum('kube_persistentvolumeclaim_status_phase', 'The phase the persistent volume claim is currently in.', l, 'phase', ['Pending', 'Bound', 'Lost'], c.status?.phase ?? 'Pending');
    f.add('kube_persistentvolumeclaim_info', 'Information about persistent volume claim.', { ...l, storageclass: c.spec?.storageClassName ?? '', volumename: c.spec?.volumeName ?? '', volumemode: c.spec?.volumeMode ?? 'Filesystem' }, 1);
    const req = bytes(c.spec?.resources?.requests?.storage);
    if (req !== undefined) f.add('kube_persistentvolumeclaim_resource_requests_storage_bytes', 'The capacity of storage requested by the persistent volume claim.', l, req);
    for (const mode of c.spec?.accessModes ?? []) f.add('kube_persistentvolumeclaim_access_mode', 'The access mode(s) specified by the persistent volume claim.', { ...l, access_mode: mode }, 1);
  }
  for (const v of volumes) {
    const l = { persistentvolume: v.metadata.name! };
    f.addEnum('kube_persistentvolume_status_phase', 'The phase indicates if a volume is available, bound to a claim, or released by a claim.', l, 'phase', ['Pending', 'Available', 'Bound', 'Released', 'Failed'], v.status?.phase ?? 'Pending');
    const cap = bytes(v.spec?.capacity?.storage);
    if (cap !== undefined) f.add('kube_persistentvolume_capacity_bytes', 'Persistentvolumes capacity in bytes.', l, cap);
    f.add('kube_persistentvolume_info', 'Information about persistentvolume.', { ...l, storageclass: v.spec?.storageClassName ?? '', reclaim_policy: v.spec?.persistentVolumeReclaimPolicy ?? '' }, 1);
    const ref = v.spec?.claimRef;
    if (ref) f.add('kube_persistentvolume_claim_ref', 'Information about the Persistent Volume Claim Reference.', { ...l, claim_namespace: ref.namespace ?? '', name: ref.name ?? '' }, 1);
  }
}
