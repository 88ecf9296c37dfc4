import type { IMetricSpec, IMetricStatus } from 'kubernetes-models/autoscaling/v2';
import type { ContainerStatus, HorizontalPodAutoscaler, PodStatus } from '../kube/objects.ts';
import type { KubeObject } from '../kube/types.ts';

/** Small readings of Kubernetes objects shared by snapshots, health and the Prometheus exposition. */

/** A condition as every kind's status lists them. */
export interface Condition {
  type: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export function condition(obj: KubeObject<unknown, { conditions?: Condition[] }>, type: string): Condition | undefined {
  return (obj.status?.conditions ?? []).find((c) => c?.type === type);
}

export function isNodeReady(node: KubeObject): boolean {
  return condition(node, 'Ready')?.status === 'True';
}

/** PodScheduled=False/Unschedulable: the scheduler found no node (its message says why). */
export function isUnschedulable(pod: KubeObject): boolean {
  const c = condition(pod, 'PodScheduled');
  return c?.status === 'False' && c.reason === 'Unschedulable';
}

export function containerStatuses(pod: KubeObject<unknown, PodStatus>): ContainerStatus[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

export function isCrashLooping(pod: KubeObject<unknown, PodStatus>): boolean {
  return containerStatuses(pod).some((s) => s?.state?.waiting?.reason === 'CrashLoopBackOff');
}

function cpuResourceMetric<M extends IMetricSpec | IMetricStatus>(list: M[] | undefined): M['resource'] {
  return (list ?? []).find((m) => m?.type === 'Resource' && m.resource?.name === 'cpu')?.resource;
}

export function hpaCpuUtilization(hpa: HorizontalPodAutoscaler): number | null {
  const v = cpuResourceMetric(hpa.status?.currentMetrics)?.current?.averageUtilization;
  return typeof v === 'number' ? v : null;
}

export function hpaCpuTarget(hpa: HorizontalPodAutoscaler): number | null {
  const t = cpuResourceMetric(hpa.spec?.metrics)?.target;
  return t?.type === 'Utilization' && typeof t.averageUtilization === 'number' ? t.averageUtilization : null;
}

/** The HPA's own account of its last decision: a limit that bit first, else what AbleToScale says. */
export function hpaScalingReason(hpa: HorizontalPodAutoscaler): string | null {
  const limited = condition(hpa, 'ScalingLimited');
  if (limited?.status === 'True') return `${limited.reason}: ${limited.message ?? ''}`.trim();
  const able = condition(hpa, 'AbleToScale');
  if (able?.reason) return `${able.reason}: ${able.message ?? ''}`.trim();
  const active = condition(hpa, 'ScalingActive');
  return active?.reason ? `${active.reason}: ${active.message ?? ''}`.trim() : null;
}

/** `kind/name` as kubectl prints an object reference. */
export function objectRef(kind: string | undefined, name: string | undefined): string {
  return `${(kind ?? '').toLowerCase()}/${name ?? ''}`;
}
