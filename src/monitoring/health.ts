import type { Taint } from '../kube/objects.ts';
import type { KubeObject } from '../kube/types.ts';
import { condition, containerStatuses, isCrashLooping, isNodeReady, isUnschedulable } from './object-facts.ts';

export interface NodeProblem {
  name: string;
  reason: string;
  message: string;
  unschedulable: boolean;
  taints: string[];
}

export interface WorkloadProblem {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  namespace: string;
  name: string;
  desired: number;
  ready: number;
  available: number;
  reason: string;
  message: string;
}

export interface CrashLoopingPod {
  namespace: string;
  name: string;
  container: string;
  restarts: number;
  lastTerminationReason: string | null;
  exitCode: number | null;
  message: string;
}

export interface UnschedulablePod {
  namespace: string;
  name: string;
  reason: string;
  message: string;
  since: string | null;
}

export interface ClusterHealth {
  status: 'healthy' | 'degraded' | 'unhealthy';
  nodes: { total: number; ready: number; notReady: NodeProblem[] };
  workloads: { total: number; available: number; unavailable: WorkloadProblem[] };
  crashLoopingPods: CrashLoopingPod[];
  unschedulablePods: UnschedulablePod[];
}

export interface HealthInput {
  nodes: KubeObject[];
  pods: KubeObject[];
  deployments: KubeObject[];
  statefulsets: KubeObject[];
  daemonsets: KubeObject[];
}

const taintText = (t: Taint) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;

function nodeProblem(n: KubeObject): NodeProblem | undefined {
  const ready = condition(n, 'Ready');
  if (ready?.status === 'True' && !n.spec?.unschedulable) return undefined;
  return {
    name: n.metadata.name!,
    reason: ready?.status === 'True' ? 'SchedulingDisabled' : (ready?.reason ?? 'NotReady'),
    message: ready?.status === 'True' ? 'node is cordoned' : (ready?.message ?? 'node has not reported Ready'),
    unschedulable: Boolean(n.spec?.unschedulable),
    taints: (n.spec?.taints ?? []).map(taintText),
  };
}

function workloadProblem(kind: WorkloadProblem['kind'], o: KubeObject): WorkloadProblem | undefined {
  const s = o.status ?? {};
  const base = { kind, namespace: o.metadata.namespace ?? '', name: o.metadata.name! };
  if (kind === 'DaemonSet') {
    const desired = s.desiredNumberScheduled ?? 0;
    const available = s.numberAvailable ?? 0;
    if (available >= desired) return undefined;
    return {
      ...base,
      desired,
      ready: s.numberReady ?? 0,
      available,
      reason: 'PodsUnavailable',
      message: `${desired - available} of ${desired} daemon pods are unavailable`,
    };
  }
  const desired = o.spec?.replicas ?? 1;
  const ready = s.readyReplicas ?? 0;
  const available = kind === 'Deployment' ? (s.availableReplicas ?? 0) : (s.availableReplicas ?? ready);
  const progressing = condition(o, 'Progressing');
  const availableCond = condition(o, 'Available');
  // A stuck rollout is unhealthy even when enough old pods still serve.
  const stuck = progressing?.status === 'False' ? progressing : undefined;
  if (available >= desired && !stuck) return undefined;
  const why = stuck ?? (availableCond?.status === 'False' ? availableCond : undefined);
  return {
    ...base,
    desired,
    ready,
    available,
    reason: why?.reason ?? 'ReplicasUnavailable',
    message: why?.message ?? `${available} of ${desired} replicas available`,
  };
}

function crashLooping(p: KubeObject): CrashLoopingPod[] {
  if (!isCrashLooping(p)) return [];
  return containerStatuses(p)
    .filter((s) => s?.state?.waiting?.reason === 'CrashLoopBackOff')
    .map((s) => ({
      namespace: p.metadata.namespace ?? '',
      name: p.metadata.name!,
      container: s.name,
      restarts: s.restartCount ?? 0,
      lastTerminationReason: s.lastState?.terminated?.reason ?? null,
      exitCode: s.lastState?.terminated?.exitCode ?? null,
      message: s.state?.waiting?.message ?? '',
    }));
}

function unschedulable(p: KubeObject): UnschedulablePod | undefined {
  if (!isUnschedulable(p)) return undefined;
  const c = condition(p, 'PodScheduled')!;
  return {
    namespace: p.metadata.namespace ?? '',
    name: p.metadata.name!,
    reason: c.reason ?? 'Unschedulable',
    message: c.message ?? '',
    since: c.lastTransitionTime ?? null,
  };
}

const defined = <T>(x: T | undefined): x is T => x !== undefined;

/** What is wrong with a cluster right now, with the reasons Kubernetes gives, from its objects. */
export function clusterHealth(input: HealthInput): ClusterHealth {
  const notReady = input.nodes.map(nodeProblem).filter(defined);
  const ready = input.nodes.filter(isNodeReady).length;
  const workloads = [
    ...input.deployments.map((o) => workloadProblem('Deployment', o)),
    ...input.statefulsets.map((o) => workloadProblem('StatefulSet', o)),
    ...input.daemonsets.map((o) => workloadProblem('DaemonSet', o)),
  ];
  const unavailable = workloads.filter(defined);
  const crash = input.pods.flatMap(crashLooping);
  const pending = input.pods.map(unschedulable).filter(defined);
  const anyProblem = notReady.length + unavailable.length + crash.length + pending.length > 0;
  return {
    status: input.nodes.length > 0 && ready === 0 ? 'unhealthy' : anyProblem ? 'degraded' : 'healthy',
    nodes: { total: input.nodes.length, ready, notReady },
    workloads: { total: workloads.length, available: workloads.length - unavailable.length, unavailable },
    crashLoopingPods: crash,
    unschedulablePods: pending,
  };
}
