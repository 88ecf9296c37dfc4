import type { KubeObject } from '../kube/types.ts';
import { isoTime } from '../lib/clock.ts';
import { transitioned } from '../lib/conditions.ts';
import { hexDigest } from '../lib/digest.ts';
import type { ObjectStore } from '../store/objects.ts';
import { LEASE_NAMESPACE, LEASE_RENEW_INTERVAL_MS, leaseRenewedAt, microTime, NODE_STATUS_REPORT_INTERVAL_MS } from '../kube/registry/node-heartbeat-view.ts';

/** Node heartbeats (k8s-quick): a Lease in kube-node-lease renewed every 10 s (the rhythm the API
 * serves, kube/registry/node-heartbeat-view.ts), 40 s duration. */
export { LEASE_NAMESPACE, LEASE_RENEW_INTERVAL_MS, leaseRenewedAt, microTime, NODE_STATUS_REPORT_INTERVAL_MS };
export const LEASE_DURATION_SECONDS = 40;

const HEALTHY: Array<[string, 'True' | 'False', string, string]> = [
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
];

/** Labels every kubelet puts on its node. */
function kubeletLabels(node: KubeObject): Record<string, string> {
  return {
    'kubernetes.io/hostname': node.metadata.name!,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': 'amd64',
  };
}

function nodeInfo(node: KubeObject): Record<string, string> {
  const id = hexDigest(`machine:${node.metadata.uid ?? node.metadata.name}`, 32);
  const uuid = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`;
  return {
    machineID: id,
    systemUUID: uuid,
    bootID: hexDigest(`boot:${node.metadata.uid}`, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
    kernelVersion: '6.1.0-kates',
    osImage: 'Ubuntu 22.04.5 LTS',
    containerRuntimeVersion: 'containerd://1.7.22',
    kubeletVersion: 'v1.32.0',
    kubeProxyVersion: 'v1.32.0',
    operatingSystem: 'linux',
    architecture: 'amd64',
  };
}

/**
 * The status a healthy kubelet posts for its node: healthy conditions (transition times move only
 * on change), labels, nodeInfo and endpoints filled in where missing. The heartbeat is written when
 * a condition changes; in between, readers see it advance every report interval
 * (kube/registry/node-heartbeat-view.ts). Returns the updated node, or undefined when nothing needs writing.
 */
export function kubeletNodeStatus(node: KubeObject, now: number): KubeObject | undefined {
  if (upToDate(node)) return undefined; // the common case: no copy, no write
  const next = structuredClone(node);
  next.status ??= {};
  const st = next.status;
  next.metadata.labels = { ...kubeletLabels(node), ...(node.metadata.labels ?? {}) };
  st.capacity ??= { cpu: '2', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' };
  st.allocatable ??= { ...st.capacity };
  st.nodeInfo = { ...nodeInfo(node), ...(st.nodeInfo ?? {}) };
  st.daemonEndpoints ??= { kubeletEndpoint: { Port: 10250 } };
  st.images ??= [];

  const conditions: Array<Record<string, string>> = st.conditions ?? [];
  const beat = HEALTHY.some(([type, status]) => conditions.find((c) => c.type === type)?.status !== status);
  st.conditions = HEALTHY.map(([type, status, reason, message]) => {
    const old = conditions.find((c) => c.type === type);
    return transitioned(old, {
      type,
      status,
      lastHeartbeatTime: beat ? isoTime(now) : (old?.lastHeartbeatTime ?? isoTime(now)),
      lastTransitionTime: isoTime(now),
      reason,
      message,
    });
  });
  return JSON.stringify(next) === JSON.stringify(node) ? undefined : next;
}

/** Healthy conditions and everything the kubelet fills in already there. */
function upToDate(node: KubeObject): boolean {
  const st = node.status;
  if (!st?.capacity || !st.allocatable || !st.nodeInfo?.kubeletVersion || !st.daemonEndpoints || !st.images) return false;
  const labels = node.metadata.labels ?? {};
  if (
    !labels['kubernetes.io/hostname'] ||
    !labels['kubernetes.io/os'] ||
    !labels['kubernetes.io/arch'] ||
    !labels['beta.kubernetes.io/os'] ||
    !labels['beta.kubernetes.io/arch']
  )
    return false;
  const conditions: Array<Record<string, string>> = st.conditions ?? [];
  if (conditions.length !== HEALTHY.length) return false;
  const healthy = HEALTHY.every(([type, status, reason, message], i) => {
    const c = conditions[i];
    return c?.type === type && c.status === status && c.reason === reason && c.message === message && c.lastHeartbeatTime && c.lastTransitionTime;
  });
  return healthy && Object.keys(nodeInfo(node)).every((k) => k in st.nodeInfo);
}

export function nodeLease(node: KubeObject, now: number, existing?: KubeObject): KubeObject {
  const base: KubeObject = existing
    ? structuredClone(existing)
    : {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name: node.metadata.name,
          namespace: LEASE_NAMESPACE,
          ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.metadata.name!, uid: node.metadata.uid! }],
        },
        spec: {},
      };
  base.spec = { ...base.spec, holderIdentity: node.metadata.name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(now) };
  return base;
}

/** Every node of the cluster with its heartbeat Lease by node name: what both sides of the node heartbeat read. */
export async function nodesAndLeases(store: ObjectStore, clusterId: string): Promise<{ nodes: KubeObject[]; leases: Map<string, KubeObject> }> {
  const nodes = (await store.list(clusterId, 'nodes')).items;
  const leases = new Map((await store.list(clusterId, 'leases.coordination.k8s.io', { namespace: LEASE_NAMESPACE })).items.map((l) => [l.metadata.name!, l]));
  return { nodes, leases };
}
