import type { KubeObject } from '../kube/types.ts';
import { nodeAllocatable, podRequests } from '../lib/resources.ts';
import { nodeUsage } from '../kubelet/usage.ts';
import { KATES_POOL_LABEL } from '../clusters/nodes.ts';
import { hpaCpuTarget, hpaCpuUtilization, hpaScalingReason, isCrashLooping, isNodeReady, isUnschedulable } from './object-facts.ts';

export const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;
export type PodPhase = (typeof POD_PHASES)[number];

/** One node at one instant. CPU in millicores, memory in bytes. */
export interface NodeSample {
  name: string;
  pool: string;
  instanceType: string;
  ready: boolean;
  cpuAllocatable: number;
  memoryAllocatable: number;
  /** Sum of the requests of the non-terminated pods bound to the node (what the scheduler counts). */
  cpuRequests: number;
  memoryRequests: number;
  /** What the simulated kubelet reports: its running pods' usage plus the node's system daemons. */
  cpuUsage: number;
  memoryUsage: number;
  pods: number;
}

export interface DeploymentSample {
  namespace: string;
  name: string;
  desired: number;
  ready: number;
  available: number;
  updated: number;
}

export interface HpaSample {
  namespace: string;
  name: string;
  /** `Deployment/web`. */
  target: string;
  minReplicas: number;
  maxReplicas: number;
  currentReplicas: number;
  desiredReplicas: number;
  /** Average CPU utilization in percent of requests the HPA last saw (null before its first reading). */
  cpuUtilization: number | null;
  targetCpuUtilization: number | null;
  /** Why it last decided what it decided (the AbleToScale / ScalingLimited condition message). */
  reason: string | null;
}

export interface PodCounts {
  phases: Record<PodPhase, number>;
  /** PodScheduled=False with reason Unschedulable. */
  unschedulable: number;
  /** Pods with a container waiting in CrashLoopBackOff. */
  crashLooping: number;
  /** Σ restartCount over every container of every pod (a counter; drops when pods go away). */
  restarts: number;
}

/** The state of one cluster at one instant, as the monitoring reports chart it. */
export interface ClusterSnapshot {
  nodes: NodeSample[];
  pods: PodCounts;
  deployments: DeploymentSample[];
  hpas: HpaSample[];
}

export interface SnapshotInput {
  nodes: KubeObject[];
  pods: KubeObject[];
  deployments: KubeObject[];
  hpas: KubeObject[];
}

const isTerminal = (pod: KubeObject) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const byKey = (a: { namespace?: string; name: string }, b: { namespace?: string; name: string }) =>
  (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name);

function nodeSamples(nodes: KubeObject[], pods: KubeObject[]): NodeSample[] {
  const podsByNode = new Map<string, KubeObject[]>();
  for (const p of pods) {
    const node = p.spec?.nodeName;
    if (!node || isTerminal(p)) continue;
    const list = podsByNode.get(node) ?? [];
    list.push(p);
    podsByNode.set(node, list);
  }
  return nodes
    .map((n) => {
      const name = n.metadata.name!;
      const bound = podsByNode.get(name) ?? [];
      const alloc = nodeAllocatable(n);
      const requests = { cpu: 0, memory: 0 };
      for (const p of bound) {
        const r = podRequests(p);
        requests.cpu += r.cpu ?? 0;
        requests.memory += r.memory ?? 0;
      }
      // A node that is not Ready reports nothing; its pods are not running there any more.
      const ready = isNodeReady(n);
      const usage = ready ? nodeUsage(bound) : { cpuMillis: 0, memoryBytes: 0 };
      return {
        name,
        pool: n.metadata.labels?.[KATES_POOL_LABEL] ?? '',
        instanceType: n.metadata.labels?.['node.kubernetes.io/instance-type'] ?? '',
        ready,
        cpuAllocatable: alloc.cpu ?? 0,
        memoryAllocatable: alloc.memory ?? 0,
        cpuRequests: requests.cpu,
        memoryRequests: requests.memory,
        cpuUsage: usage.cpuMillis,
        memoryUsage: usage.memoryBytes,
        pods: bound.length,
      };
    })
    .sort(byKey);
}

function podCounts(pods: KubeObject[]): PodCounts {
  const phases = Object.fromEntries(POD_PHASES.map((p) => [p, 0])) as Record<PodPhase, number>;
  let unschedulable = 0;
  let crashLooping = 0;
  let restarts = 0;
  for (const p of pods) {
    const phase = (POD_PHASES as readonly string[]).includes(p.status?.phase) ? (p.status.phase as PodPhase) : 'Pending';
    phases[phase]++;
    if (isUnschedulable(p)) unschedulable++;
    if (isCrashLooping(p)) crashLooping++;
    for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += s.restartCount ?? 0;
  }
  return { phases, unschedulable, crashLooping, restarts };
}

function deploymentSample(d: KubeObject): DeploymentSample {
  return {
    namespace: d.metadata.namespace ?? '',
    name: d.metadata.name!,
    desired: d.spec?.replicas ?? 1,
    ready: d.status?.readyReplicas ?? 0,
    available: d.status?.availableReplicas ?? 0,
    updated: d.status?.updatedReplicas ?? 0,
  };
}

function hpaSample(h: KubeObject): HpaSample {
  const ref = h.spec?.scaleTargetRef ?? {};
  return {
    namespace: h.metadata.namespace ?? '',
    name: h.metadata.name!,
    target: `${ref.kind ?? ''}/${ref.name ?? ''}`,
    minReplicas: h.spec?.minReplicas ?? 1,
    maxReplicas: h.spec?.maxReplicas ?? 0,
    currentReplicas: h.status?.currentReplicas ?? 0,
    desiredReplicas: h.status?.desiredReplicas ?? 0,
    cpuUtilization: hpaCpuUtilization(h),
    targetCpuUtilization: hpaCpuTarget(h),
    reason: hpaScalingReason(h),
  };
}

/** Pure: the same objects always give the same snapshot, so unchanged clusters can skip writing one. */
export function takeSnapshot(input: SnapshotInput): ClusterSnapshot {
  return {
    nodes: nodeSamples(input.nodes, input.pods),
    pods: podCounts(input.pods),
    deployments: input.deployments.map(deploymentSample).sort(byKey),
    hpas: input.hpas.map(hpaSample).sort(byKey),
  };
}
