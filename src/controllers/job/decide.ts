import type { EventType } from '../../kube/events.ts';
import type { KubeObject } from '../../kube/types.ts';
import { isoTime } from '../../lib/clock.ts';
import { getCondition, upsertCondition, type Condition } from '../../lib/conditions.ts';
import { isPodActive, isPodTerminal, timestampMs, totalContainerRestarts } from '../shared/pod-state.ts';
import { nextCreateAllowedAt } from './backoff.ts';
import {
  BACKOFF_LIMIT,
  COMPLETIONS,
  DEADLINE,
  FAILED_INDEXES,
  MAX_FAILED_INDEXES,
  jobCondition,
  pendingEnding,
  podFailurePolicyEnding,
  type JobEnding,
} from './conditions.ts';
import { failJobMessage, failureCounts, isPodFailed, onlyReplaceFailedPods } from './failure-policy.ts';
import { hasTrackingFinalizer } from './finalizers.ts';
import { parseIndexes, podIndex } from './indexes.ts';
import { planPods, type PodCreation } from './manage.ts';
import { failedIndexesOf, podsAwaitingReplacement, validIndex } from './per-index.ts';
import { jobFinished, jobParams, type JobParams } from './spec.ts';

export interface JobEvent {
  type: EventType;
  reason: string;
  message: string;
}

/** A finished Job, or one being deleted, creates nothing more; its pods are let go. */
export interface LetGo {
  kind: 'let-go';
  release: KubeObject[];
}

/** What one sync of a running Job does, decided before any write. */
export interface JobPlan {
  kind: 'run';
  /** Finished pods counted now: their tracking finalizer comes off in the status commit. */
  release: KubeObject[];
  /** Pods to delete, the most expendable first (the pass budget may stop it early). */
  delete: KubeObject[];
  create?: PodCreation;
  /** Events after the pod writes (Suspended, Resumed). */
  events: JobEvent[];
  /** The earliest time the Job needs looking at again (deadline, back-off). */
  wakeAt?: number;
  /** The status so far; `jobStatusAfter` completes it once the pod writes are known. */
  status: Record<string, unknown>;
  conditions: Condition[];
  ending?: JobEnding;
  /** Active pods before the writes, and those already terminating. */
  active: KubeObject[];
  terminating: number;
  succeeded: number;
  failed: number;
  /** Indexed Jobs: the indexes done. */
  completed?: Set<number>;
  /** backoffLimitPerIndex: the indexes failed for good. */
  failedIndexes?: Set<number>;
}

export type JobDecision = LetGo | JobPlan;

/**
 * One Job's sync decided (job_controller.go syncJob), without writing: count finished pods exactly
 * once (their tracking finalizer comes off in the same atomic commit as the new counts), decide
 * whether the Job has failed (a FailJob rule of its podFailurePolicy, backoffLimit,
 * activeDeadlineSeconds, failed indexes) or succeeded, and which pods to create or delete to keep
 * the right number running. `pods` are the Job's own pods.
 */
export function decideJob(job: KubeObject, pods: KubeObject[], nowMs: number): JobDecision {
  if (jobFinished(job) || job.metadata.deletionTimestamp) return { kind: 'let-go', release: pods.filter(hasTrackingFinalizer) };
  const p = jobParams(job);
  const status = structuredClone(job.status ?? {});
  let conditions: Condition[] = status.conditions ?? [];
  let ending = pendingEnding(conditions);
  const completions = p.completions ?? 0;
  const perIndex = p.backoffLimitPerIndex;
  let wakeAt: number | undefined;
  const wake = (ms: number) => (wakeAt = wakeAt === undefined ? ms : Math.min(wakeAt, ms));

  // Indexes done: the recorded ones plus those whose pods just succeeded (not yet counted).
  const completed = parseIndexes(status.completedIndexes);
  if (p.indexed) {
    for (const pod of pods) {
      const idx = validIndex(pod, completions);
      if (idx !== undefined && pod.status?.phase === 'Succeeded' && hasTrackingFinalizer(pod)) completed.add(idx);
    }
  }
  const failedIndexes = perIndex !== undefined ? failedIndexesOf(job, pods, completions, perIndex) : undefined;
  const active = pods.filter(isPodActive);
  const awaiting =
    perIndex !== undefined
      ? podsAwaitingReplacement(
          job,
          pods,
          completions,
          (i) => completed.has(i) || failedIndexes!.has(i),
          new Set(active.map(podIndex).filter((i) => i !== undefined)),
        )
      : new Map<number, KubeObject>();

  // Finished pods still held by the tracking finalizer are counted and let go. A failed pod is
  // one that reached phase Failed or, without a failure policy, one being deleted; a failed pod
  // whose index waits for its replacement stays held so its failure count is handed on.
  const release = pods.filter((pod) => {
    if (!hasTrackingFinalizer(pod)) return false;
    if (pod.status?.phase === 'Succeeded') return true;
    if (ending) return isPodTerminal(pod) || !!pod.metadata.deletionTimestamp;
    if (!isPodFailed(pod, job)) return false;
    const idx = podIndex(pod);
    return idx === undefined || awaiting.get(idx)?.metadata.uid !== pod.metadata.uid;
  });
  // Pods removed because the Job is suspended count as nothing.
  const counted = p.suspended ? release.filter((pod) => !pod.metadata.deletionTimestamp) : release;
  const newlySucceeded = counted.filter((pod) => pod.status?.phase === 'Succeeded');
  // Failures an Ignore rule matched are not counted against backoffLimit; nor are pods of no valid index.
  const newlyFailed = counted.filter(
    (pod) => pod.status?.phase !== 'Succeeded' && failureCounts(job, pod) && (!p.indexed || validIndex(pod, completions) !== undefined),
  );
  const succeeded = p.indexed ? completed.size : (status.succeeded ?? 0) + newlySucceeded.length;
  const failed = (status.failed ?? 0) + newlyFailed.length;

  if (!p.suspended && !status.startTime) status.startTime = isoTime(nowMs);
  const startMs = timestampMs(status.startTime);

  if (!ending) {
    const failJob = failJobMessage(job, pods);
    if (failJob) ending = podFailurePolicyEnding(failJob);
    else if (exceedsBackoffLimit(p, failed, active)) ending = BACKOFF_LIMIT;
    else if (p.activeDeadlineSeconds !== undefined && !p.suspended && startMs !== undefined && nowMs - startMs >= p.activeDeadlineSeconds * 1000)
      ending = DEADLINE;
    else if (failedIndexes && p.maxFailedIndexes !== undefined && failedIndexes.size > p.maxFailedIndexes) ending = MAX_FAILED_INDEXES;
    else if (failedIndexes && failedIndexes.size > 0 && failedIndexes.size + completed.size >= completions) ending = FAILED_INDEXES;
    else if (isComplete(p, succeeded, completed, active.length)) ending = COMPLETIONS;
    else if (p.activeDeadlineSeconds !== undefined && !p.suspended && startMs !== undefined) wake(startMs + p.activeDeadlineSeconds * 1000);
    if (ending)
      conditions = upsertCondition(
        conditions,
        jobCondition(ending.success ? 'SuccessCriteriaMet' : 'FailureTarget', 'True', ending.reason, ending.message, nowMs),
      );
  }

  const terminatingPods = pods.filter((pod) => pod.metadata.deletionTimestamp && !isPodTerminal(pod));
  let toDelete: KubeObject[];
  let create: PodCreation | undefined;
  if (ending || p.suspended) {
    toDelete = active;
  } else {
    // Indexes with their own retry budget have their own back-off; otherwise the Job's applies.
    let mayCreate = true;
    if (perIndex === undefined) {
      const failedPods = pods.filter((pod) => pod.status?.phase === 'Failed' && !pod.metadata.deletionTimestamp);
      const allowedAt = nextCreateAllowedAt(
        pods.filter((pod) => pod.status?.phase === 'Succeeded'),
        failedPods,
      );
      mayCreate = allowedAt === undefined || allowedAt <= nowMs;
      if (!mayCreate) wake(allowedAt!);
    }
    const plan = planPods(
      job,
      p,
      {
        active,
        // Replacements wait for pods being deleted to fail when only failed pods are replaced.
        terminating: onlyReplaceFailedPods(job) ? terminatingPods : [],
        succeeded,
        completed,
        failedIndexes,
        awaiting: perIndex !== undefined ? awaiting : undefined,
        mayCreate,
      },
      nowMs,
    );
    toDelete = plan.surplus;
    create = plan.create;
    if (plan.wakeAt !== undefined) wake(plan.wakeAt);
  }

  const suspension = suspendedCondition(p.suspended, conditions, nowMs);
  if (suspension) conditions = suspension.conditions;
  if (p.suspended) delete status.startTime;

  return {
    kind: 'run',
    release,
    delete: toDelete,
    create,
    events: suspension ? [suspension.event] : [],
    wakeAt,
    status,
    conditions,
    ending,
    active,
    terminating: terminatingPods.length,
    succeeded,
    failed,
    completed: p.indexed ? completed : undefined,
    failedIndexes,
  };
}

function exceedsBackoffLimit(p: JobParams, failed: number, active: KubeObject[]): boolean {
  if (p.restartPolicy === 'OnFailure') {
    const restarts = active.reduce((n, pod) => n + totalContainerRestarts(pod), 0);
    return p.backoffLimit === 0 ? restarts > 0 : restarts >= p.backoffLimit;
  }
  return failed > p.backoffLimit;
}

function isComplete(p: JobParams, succeeded: number, completed: Set<number>, activeCount: number): boolean {
  if (p.indexed) return completed.size >= (p.completions ?? 0);
  if (p.completions === undefined) return succeeded > 0 && activeCount === 0;
  return succeeded >= p.completions;
}

/** The Suspended condition flipped, and the event that says so; undefined when it stays. */
function suspendedCondition(suspended: boolean, conditions: Condition[], nowMs: number): { conditions: Condition[]; event: JobEvent } | undefined {
  const current = getCondition(conditions, 'Suspended');
  if (suspended && current?.status !== 'True') {
    return {
      conditions: upsertCondition(conditions, jobCondition('Suspended', 'True', 'JobSuspended', 'Job suspended', nowMs)),
      event: { type: 'Normal', reason: 'Suspended', message: 'Job suspended' },
    };
  }
  if (!suspended && current?.status === 'True') {
    return {
      conditions: upsertCondition(conditions, jobCondition('Suspended', 'False', 'JobResumed', 'Job resumed', nowMs)),
      event: { type: 'Normal', reason: 'Resumed', message: 'Job resumed' },
    };
  }
  return undefined;
}
