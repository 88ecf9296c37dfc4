import type { KubeObject } from '../../kube/types.ts';
import { backoffDelayMs, podFinishedAt } from './backoff.ts';
import { isPodFailed, matchPodFailurePolicy } from './failure-policy.ts';
import { hasTrackingFinalizer } from './finalizers.ts';
import { parseIndexes, podIndex } from './indexes.ts';

/**
 * backoffLimitPerIndex (Indexed Jobs): each index has its own retry budget. A replacement pod
 * carries how often its index failed so far in annotations; an index whose failures exceed the
 * budget (or that a FailIndex rule hit) is listed in status.failedIndexes and never retried.
 */
export const INDEX_FAILURE_COUNT = 'batch.kubernetes.io/job-index-failure-count';
export const INDEX_IGNORED_FAILURE_COUNT = 'batch.kubernetes.io/job-index-ignored-failure-count';

/** A count annotation; missing, malformed or out-of-range values read as 0 (users can edit them). */
function countAnnotation(pod: KubeObject, key: string): number {
  const raw = pod.metadata.annotations?.[key];
  if (raw === undefined || !/^\d+$/.test(raw)) return 0;
  const n = Number(raw);
  return n > 2 ** 31 - 1 ? 0 : n;
}

export const indexFailureCount = (pod: KubeObject) => countAnnotation(pod, INDEX_FAILURE_COUNT);
/** Failures of the index including ignored ones: what the per-index back-off grows with. */
export const indexAbsoluteFailureCount = (pod: KubeObject) => countAnnotation(pod, INDEX_FAILURE_COUNT) + countAnnotation(pod, INDEX_IGNORED_FAILURE_COUNT);

/** A valid completion index of this Job, or undefined. */
export function validIndex(pod: KubeObject, completions: number): number | undefined {
  const idx = podIndex(pod);
  return idx !== undefined && idx < completions ? idx : undefined;
}

/** Whether this pod's failure fails its index (isIndexFailed). */
export function failsIndex(job: KubeObject, pod: KubeObject, backoffLimitPerIndex: number): boolean {
  if (!isPodFailed(pod, job)) return false;
  let counts = true;
  if (job.spec?.podFailurePolicy) {
    const verdict = matchPodFailurePolicy(job.spec.podFailurePolicy, pod);
    if (verdict.action === 'FailIndex') return true;
    counts = verdict.counts;
  }
  return counts && indexFailureCount(pod) >= backoffLimitPerIndex;
}

/** status.failedIndexes plus the indexes whose not-yet-counted pods just failed them. */
export function failedIndexesOf(job: KubeObject, pods: KubeObject[], completions: number, backoffLimitPerIndex: number): Set<number> {
  const failed = new Set([...parseIndexes(job.status?.failedIndexes)].filter((i) => i < completions));
  for (const pod of pods) {
    const idx = validIndex(pod, completions);
    if (idx !== undefined && hasTrackingFinalizer(pod) && failsIndex(job, pod, backoffLimitPerIndex)) failed.add(idx);
  }
  return failed;
}

/**
 * Per index still to retry, the failed pod whose counts its replacement inherits
 * (getPodsWithDelayedDeletionPerIndex): the one with the most failures, the latest to finish. Its
 * tracking finalizer stays until the replacement exists, so the counts are never lost.
 */
export function podsAwaitingReplacement(
  job: KubeObject,
  pods: KubeObject[],
  completions: number,
  settled: (idx: number) => boolean,
  activeIndexes: Set<number>,
): Map<number, KubeObject> {
  const out = new Map<number, KubeObject>();
  for (const pod of pods) {
    if (!hasTrackingFinalizer(pod) || !isPodFailed(pod, job)) continue;
    const idx = validIndex(pod, completions);
    if (idx === undefined || settled(idx) || activeIndexes.has(idx)) continue;
    const last = out.get(idx);
    if (!last || (indexAbsoluteFailureCount(last) <= indexAbsoluteFailureCount(pod) && podFinishedAt(pod) >= podFinishedAt(last))) out.set(idx, pod);
  }
  return out;
}

/** The count annotations of the pod replacing `replaced` (none replaced: the index's first pod). */
export function replacementAnnotations(job: KubeObject, replaced: KubeObject | undefined): Record<string, string> {
  let failures = replaced ? indexFailureCount(replaced) : 0;
  let ignored = replaced ? countAnnotation(replaced, INDEX_IGNORED_FAILURE_COUNT) : 0;
  if (replaced) {
    if (!job.spec?.podFailurePolicy || matchPodFailurePolicy(job.spec.podFailurePolicy, replaced).counts) failures++;
    else ignored++;
  }
  return { [INDEX_FAILURE_COUNT]: String(failures), ...(ignored > 0 ? { [INDEX_IGNORED_FAILURE_COUNT]: String(ignored) } : {}) };
}

/** When the index of `replaced` may run again: its own back-off, 10 s doubling per failure. */
export function indexRetryAt(replaced: KubeObject | undefined): number {
  if (!replaced) return 0;
  return podFinishedAt(replaced) + backoffDelayMs(indexAbsoluteFailureCount(replaced) + 1);
}
