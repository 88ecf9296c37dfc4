import type { Pod, PodDisruptionBudget } from '../../kube/objects.ts';
import type { BudgetState } from '../../kube/admission/disruption.ts';
import { isoTime } from '../../lib/clock.ts';
import { replaceCondition } from '../../lib/conditions.ts';
import { timestampMs } from '../shared/pod-state.ts';

/** How long an evicted pod may take to go before the budget stops expecting it (upstream DeletionTimeout). */
export const DELETION_TIMEOUT_MS = 2 * 60_000;

/** A metav1.Condition, as PodDisruptionBudget status carries it. */
export interface BudgetCondition {
  type: string;
  // Upstream types it as a string; the two values are what kates writes.
  status: 'True' | 'False' | (string & {});
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime: string;
}

export interface DisruptedPods {
  /** Entries still expected to go: pod name → eviction time. */
  kept: Record<string, string>;
  /** The earliest time a kept entry runs out (when the controller must look again). */
  recheckAtMs?: number;
  /** Pods that should have gone by now but did not (a `NotDeleted` warning each). */
  overdue: Pod[];
}

/**
 * Upstream buildDisruptedPodMap: an eviction recorded in status.disruptedPods is remembered until
 * the pod is being deleted (or is gone), or for DELETION_TIMEOUT_MS if it never goes.
 */
export function disruptedPods(recorded: Record<string, string> | undefined, pods: Pod[], nowMs: number): DisruptedPods {
  const out: DisruptedPods = { kept: {}, overdue: [] };
  if (!recorded) return out;
  for (const pod of pods) {
    const name = pod.metadata.name!;
    if (pod.metadata.deletionTimestamp || !(name in recorded)) continue;
    const at = timestampMs(recorded[name]);
    if (at === undefined) continue;
    const expires = at + DELETION_TIMEOUT_MS;
    if (expires < nowMs) {
      out.overdue.push(pod);
      continue;
    }
    out.kept[name] = recorded[name];
    if (out.recheckAtMs === undefined || expires < out.recheckAtMs) out.recheckAtMs = expires;
  }
  return out;
}

/**
 * The status the disruption controller writes: the budget arithmetic, the evictions still in
 * flight, the generation seen, and DisruptionAllowed (SufficientPods / InsufficientPods).
 */
export function budgetStatus(pdb: PodDisruptionBudget, state: BudgetState, kept: Record<string, string>, nowMs: number): Record<string, unknown> {
  const generation = pdb.metadata.generation ?? 1;
  const allowed = state.disruptionsAllowed > 0;
  const conditions = replaceCondition<BudgetCondition>(pdb.status?.conditions ?? [], {
    type: 'DisruptionAllowed',
    status: allowed ? 'True' : 'False',
    reason: allowed ? 'SufficientPods' : 'InsufficientPods',
    message: '',
    observedGeneration: generation,
    lastTransitionTime: isoTime(nowMs),
  });
  const status: Record<string, unknown> = {
    observedGeneration: generation,
    disruptionsAllowed: state.disruptionsAllowed,
    currentHealthy: state.currentHealthy,
    desiredHealthy: state.desiredHealthy,
    expectedPods: state.expectedPods,
    conditions,
  };
  if (Object.keys(kept).length > 0) status.disruptedPods = kept;
  return status;
}
