import type { KubeObject } from '../kube/types.ts';
import { findInstanceType, zonesOf, type Provider } from '../billing/catalog.ts';
import type { ClusterRow, NodePoolRow } from '../store/rows.ts';

/** The label each provider puts on nodes to name their pool. */
export const POOL_LABEL: Record<Provider, string> = {
  eks: 'eks.amazonaws.com/nodegroup',
  gke: 'cloud.google.com/gke-nodepool',
  aks: 'kubernetes.azure.com/agentpool',
};
export const KATES_POOL_LABEL = 'kates.dev/node-pool';

/** How each provider marks a spot node: EKS and GKE with a label, AKS also with a taint pods must tolerate. */
const SPOT_LABELS: Record<Provider, Record<string, string>> = {
  eks: { 'eks.amazonaws.com/capacityType': 'SPOT' },
  gke: { 'cloud.google.com/gke-spot': 'true', 'cloud.google.com/gke-provisioning': 'spot' },
  aks: { 'kubernetes.azure.com/scalesetpriority': 'spot' },
};
const SPOT_TAINTS: Record<Provider, { key: string; value?: string; effect: string }[]> = {
  eks: [],
  gke: [],
  aks: [{ key: 'kubernetes.azure.com/scalesetpriority', value: 'spot', effect: 'NoSchedule' }],
};

/** The Kubernetes minor a pool's nodes run: its own once it has one, else the control plane's. */
export function poolVersion(cluster: Pick<ClusterRow, 'kubernetesVersion'>, pool: Pick<NodePoolRow, 'version'>): string {
  return pool.version ?? cluster.kubernetesVersion;
}

/** Which labels and taints of a node came from its pool, so a pool edit can drop the ones it no longer has. */
export const POOL_LABELS_ANNOTATION = 'kates.dev/pool-labels';
export const POOL_TAINTS_ANNOTATION = 'kates.dev/pool-taints';

export function poolMetadataAnnotations(labels: Record<string, string>, taints: { key: string; effect: string }[]): Record<string, string> {
  return {
    [POOL_LABELS_ANNOTATION]: JSON.stringify(Object.keys(labels).sort()),
    [POOL_TAINTS_ANNOTATION]: JSON.stringify(taints.map((t) => `${t.key}:${t.effect}`).sort()),
  };
}

/** The minor a node's kubelet reports (`v1.31.0` → `1.31`). */
export function nodeVersion(node: KubeObject): string | undefined {
  return /^v?(\d+\.\d+)/.exec(node.status?.nodeInfo?.kubeletVersion ?? '')?.[1];
}

/** Node names as each provider spells them, deterministic in (pool, ordinal) so provisioning is idempotent. */
export function nodeName(cluster: Pick<ClusterRow, 'name' | 'provider' | 'region'>, pool: string, ordinal: number, slot: number): string {
  switch (cluster.provider as Provider) {
    case 'eks':
      return `ip-10-0-${slot >> 8}-${slot & 255}.${cluster.region === 'us-east-1' ? 'ec2.internal' : `${cluster.region}.compute.internal`}`;
    case 'gke':
      return `gke-${cluster.name}-${pool}-${hash8(cluster.name + pool)}-${ordinal.toString(36).padStart(4, '0')}`.slice(0, 63);
    default:
      return `aks-${pool}-${String(parseInt(hash8(cluster.name + pool), 16) % 1e8).padStart(8, '0')}-vmss${ordinal.toString(36).padStart(6, '0')}`;
  }
}

/**
 * Allocatable after system reservations, using GKE's published formula (CPU: 6% of the first core,
 * 1% of the next, 0.5% of the next two, 0.25% above four; memory: 25% of the first 4 GiB, 20% of the
 * next 4, 10% of the next 8, 6% of the next 112, 2% above, plus a 100 MiB eviction threshold).
 */
export function allocatable(vcpu: number, memoryGiB: number): { cpuMilli: number; memoryMi: number } {
  const cores = [0.06, 0.01, 0.005, 0.005];
  let cpuReserve = 0;
  for (let i = 0; i < vcpu; i++) cpuReserve += (cores[i] ?? 0.0025) * 1000;
  const bands: [number, number][] = [
    [4, 0.25],
    [4, 0.2],
    [8, 0.1],
    [112, 0.06],
    [Infinity, 0.02],
  ];
  let left = memoryGiB;
  let memReserveGi = 0;
  for (const [size, rate] of bands) {
    const take = Math.min(left, size);
    memReserveGi += take * rate;
    left -= take;
    if (left <= 0) break;
  }
  return { cpuMilli: Math.floor(vcpu * 1000 - cpuReserve), memoryMi: Math.floor((memoryGiB - memReserveGi) * 1024 - 100) };
}

/** One /24 per node from 10.244.0.0/14: slot 0-255 in 10.244.x, 256-511 in 10.245.x, ... */
export function podCidr(slot: number): string {
  return `10.${244 + (slot >> 8)}.${slot & 255}.0/24`;
}

export interface NodeSlot {
  ordinal: number;
  /** Cluster-wide index: picks the pod CIDR (10.244.<slot>.0/24 from 10.244.0.0/16) and the node IP. */
  slot: number;
}

/** A Ready Node object for one member of a pool, shaped like the provider's nodes. */
export function buildNode(cluster: ClusterRow, pool: NodePoolRow, at: NodeSlot, nowIso: string): KubeObject {
  const provider = cluster.provider as Provider;
  const type = findInstanceType(provider, pool.instanceType);
  if (!type) throw new Error(`unknown instance type ${pool.instanceType}`);
  const poolZones = JSON.parse(pool.zones ?? '[]') as string[];
  const zones = poolZones.length ? poolZones : zonesOf(provider, cluster.region);
  const zone = zones[at.ordinal % Math.max(1, zones.length)] ?? cluster.region;
  const name = nodeName(cluster, pool.name, at.ordinal, at.slot);
  const alloc = allocatable(type.vcpu, type.memoryGiB);
  const ip = `10.0.${(at.slot >> 8) & 255}.${at.slot & 255 || 1}`;
  const poolLabels = JSON.parse(pool.labels) as Record<string, string>;
  const spot = pool.capacityType === 'SPOT';
  const poolTaints = JSON.parse(pool.taints) as { key: string; value?: string; effect: string }[];
  const taints = [...poolTaints, ...(spot ? SPOT_TAINTS[provider] : [])].map((t) => ({ key: t.key, value: t.value, effect: t.effect }));
  const kubelet = `v${poolVersion(cluster, pool)}.0`;
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: nowIso,
    lastTransitionTime: nowIso,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        ...poolLabels,
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': type.name,
        'beta.kubernetes.io/instance-type': type.name,
        'topology.kubernetes.io/region': cluster.region,
        'topology.kubernetes.io/zone': zone,
        'failure-domain.beta.kubernetes.io/region': cluster.region,
        'failure-domain.beta.kubernetes.io/zone': zone,
        [POOL_LABEL[provider]]: pool.name,
        [KATES_POOL_LABEL]: pool.name,
        ...(spot ? SPOT_LABELS[provider] : {}),
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'kates.dev/slot': String(at.slot), ...poolMetadataAnnotations(poolLabels, poolTaints) },
    },
    spec: {
      podCIDR: podCidr(at.slot),
      podCIDRs: [podCidr(at.slot)],
      providerID: `kates://${provider}/${cluster.region}/${zone}/${name}`,
      ...(taints.length ? { taints } : {}),
    },
    status: {
      capacity: { cpu: String(type.vcpu), memory: `${type.memoryGiB * 1024 * 1024}Ki`, pods: String(type.maxPods), 'ephemeral-storage': '100Gi' },
      allocatable: { cpu: `${alloc.cpuMilli}m`, memory: `${alloc.memoryMi}Mi`, pods: String(type.maxPods), 'ephemeral-storage': '95Gi' },
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        kubeletVersion: kubelet,
        kubeProxyVersion: kubelet,
        containerRuntimeVersion: 'containerd://1.7.20',
        operatingSystem: 'linux',
        architecture: 'amd64',
        osImage: provider === 'gke' ? 'Container-Optimized OS from Google' : provider === 'eks' ? 'Amazon Linux 2023' : 'Ubuntu 22.04.4 LTS',
        kernelVersion: '6.1.0-kates',
        machineID: hash8(name) + hash8(name + 'm'),
        systemUUID: hash8(name + 's'),
        bootID: hash8(name + 'b'),
      },
    },
  };
}

function hash8(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16).padStart(8, '0');
}
