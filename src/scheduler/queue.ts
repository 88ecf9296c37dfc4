import type { KubeObject } from '../kube/types.ts';
import { SCHEDULING_RESULT_ANNOTATION, type SchedulingRecord } from './explain.ts';
import type { PodInfo } from './types.ts';

export const DEFAULT_SCHEDULER = 'default-scheduler';
/** Per-pod back-off after a failed attempt: 1 s, doubling, at most 10 s (kube-scheduler defaults). */
export const INITIAL_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 10_000;
/** Unschedulable pods are retried at least this often even when nothing relevant changed. */
export const UNSCHEDULABLE_FLUSH_MS = 5 * 60_000;

/** Waiting for this scheduler: unbound, not being deleted, not finished. */
export function awaitsScheduling(pod: KubeObject, schedulerName = DEFAULT_SCHEDULER): boolean {
  if (pod.spec?.nodeName || pod.metadata.deletionTimestamp) return false;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  return (pod.spec?.schedulerName ?? DEFAULT_SCHEDULER) === schedulerName;
}

/** Needs a pass: waiting for this scheduler, unless gated and already showing it. */
export function needsPass(pod: KubeObject, schedulerName = DEFAULT_SCHEDULER): boolean {
  if (!awaitsScheduling(pod, schedulerName)) return false;
  if (!isGated(pod)) return true;
  return !(pod.status?.conditions ?? []).some((c: { type: string; reason?: string }) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated');
}

export function isGated(pod: KubeObject): boolean {
  return Array.isArray(pod.spec?.schedulingGates) && pod.spec.schedulingGates.length > 0;
}

/** PrioritySort: higher priority first, then the pod that has waited longer. */
export function queueOrder(a: PodInfo, b: PodInfo): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  const ta = a.pod.metadata.creationTimestamp ?? '';
  const tb = b.pod.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
}

export function previousRecord(pod: KubeObject): SchedulingRecord | undefined {
  const raw = pod.metadata.annotations?.[SCHEDULING_RESULT_ANNOTATION];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as SchedulingRecord;
  } catch {
    return undefined;
  }
}

export type QueueDecision = { now: true } | { now: false; retryInMs: number };

/**
 * Whether a pending pod gets a scheduling attempt in this pass. A pod that failed waits out its
 * back-off, and then is retried only once the cluster (or the pod) changed in a way that could
 * matter, or after the 5-minute flush, like kube-scheduler's unschedulable pool.
 */
export function queueDecision(pod: KubeObject, nowMs: number, stateHash: string): QueueDecision {
  const rec = previousRecord(pod);
  if (!rec || rec.outcome !== 'Unschedulable') return { now: true };
  const elapsed = nowMs - Date.parse(rec.lastAttempt);
  if (!Number.isFinite(elapsed)) return { now: true };
  const wait = backoffMs(rec.attempts ?? 1) - elapsed;
  if (wait > 0) return { now: false, retryInMs: wait };
  if (rec.stateHash !== stateHash) return { now: true };
  const flush = UNSCHEDULABLE_FLUSH_MS - elapsed;
  return flush > 0 ? { now: false, retryInMs: flush } : { now: true };
}
