/* eslint-disable @typescript-eslint/no-explicit-any */
import type { KubeObject } from '../kube/types.ts';

/** Small readings of Kubernetes objects shared by snapshots, health and the Prometheus exposition. */

export function condition(obj: KubeObject, type: string): { status?: string; reason?: string; message?: string; lastTransitionTime?: string } | undefined {
  return (obj.status?.conditions ?? []).find((c: any) => c?.type === type);
}

export function isNodeReady(node: KubeObject): boolean {
  return condition(node, 'Ready')?.status === 'True';
}

/** PodScheduled=False/Unschedulable: the scheduler found no node (its message says why). */
export function isUnschedulable(pod: KubeObject): boolean {
  const c = condition(pod, 'PodScheduled');
  return c?.status === 'False' && c.reason === 'Unschedulable';
}

export function containerStatuses(pod: KubeObject): any[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

export function isCrashLooping(pod: KubeObject): boolean {
  return containerStatuses(pod).some((s) => s?.state?.waiting?.reason === 'CrashLoopBackOff');
}

function cpuResourceMetric(list: any[] | undefined): any {
  return (list ?? []).find((m: any) => m?.type === 'Resource' && m.resource?.name === 'cpu')?.resource;
}

export function hpaCpuUtilization(hpa: KubeObject): number | null {
  const v = cpuResourceMetric(hpa.status?.currentMetrics)?.current?.averageUtilization;
  return typeof v === 'number' ? v : null;
}

export function hpaCpuTarget(hpa: KubeObject): number | null {
  const t = cpuResourceMetric(hpa.spec?.metrics)?.target;
  return t?.type === 'Utilization' && typeof t.averageUtilization === 'number' ? t.averageUtilization : null;
}

/** The HPA's own account of its last decision: a limit that bit first, else what AbleToScale says. */
export function hpaScalingReason(hpa: KubeObject): string | null {
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
