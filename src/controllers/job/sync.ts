import type { KubeObject } from '../../kube/types.ts';
import { isoTime } from '../../lib/clock.ts';
import type { WriteOp } from '../../store/objects.ts';
import type { CreateAdmission } from '../shared/admission.ts';
import { canonicalJson } from '../shared/canonical.ts';
import { getCondition, upsertCondition, type Condition } from '../shared/conditions.ts';
import { planClaims, withControllerRef, withoutOwnerRef } from '../shared/owners.ts';
import type { Pass } from '../shared/pass.ts';
import { isPodActive, isPodReady, isPodTerminal, timestampMs, totalContainerRestarts } from '../shared/pod-state.ts';
import { selectorMatches } from '../shared/selector.ts';
import { nextCreateAllowedAt } from './backoff.ts';
import { BACKOFF_LIMIT, COMPLETIONS, DEADLINE, FAILED_INDEXES, MAX_FAILED_INDEXES, jobCondition, pendingEnding, podFailurePolicyEnding, type JobEnding } from './conditions.ts';
import { failJobMessage, failureCounts, isPodFailed, onlyReplaceFailedPods } from './failure-policy.ts';
import { failedIndexesOf, podsAwaitingReplacement, validIndex } from './per-index.ts';
import { hasTrackingFinalizer, releasePodOp } from './finalizers.ts';
import { formatIndexes, parseIndexes, podIndex } from './indexes.ts';
import { managePods } from './manage.ts';
import { deleteJobPods } from './pods.ts';
import { jobFinished, jobParams, jobSelector } from './spec.ts';

/**
 * One Job (job_controller.go syncJob): count finished pods exactly once (their tracking finalizer
 * comes off in the same atomic commit as the new counts), decide whether the Job has failed
 * (a FailJob rule of its podFailurePolicy, backoffLimit, activeDeadlineSeconds, failed indexes) or succeeded, keep the right number of pods running, and
 * add Complete/Failed once no pod of the Job is left running.
 */
export async function syncJob(pass: Pass, job: KubeObject, candidates: KubeObject[], admission: CreateAdmission): Promise<void> {
  const pods = await claimPods(pass, job, candidates);
  // A finished Job, or one being deleted, creates nothing more; its pods are let go.
  if (jobFinished(job) || job.metadata.deletionTimestamp) return releaseFinalizers(pass, pods.filter(hasTrackingFinalizer));
  const p = jobParams(job);
  const now = pass.nowMs;
  const status = structuredClone(job.status ?? {});
  let conditions: Condition[] = status.conditions ?? [];
  let ending = pendingEnding(conditions);
  const completions = p.completions ?? 0;
  const perIndex = p.backoffLimitPerIndex;

  // Indexes done: the recorded ones plus those whose pods just succeeded (not yet counted).
  const completed = parseIndexes(status.completedIndexes);
  if (p.indexed) {
    for (const pod of pods) {
      const idx = validIndex(pod, completions);
      if (idx !== undefined && pod.status?.phase === 'Succeeded' && hasTrackingFinalizer(pod)) completed.add(idx);
    }
  }
  const failedIndexes = perIndex !== undefined ? failedIndexesOf(job, pods, completions, perIndex) : undefined;
  let active = pods.filter(isPodActive);
  const awaiting = perIndex !== undefined
    ? podsAwaitingReplacement(job, pods, completions, (i) => completed.has(i) || failedIndexes!.has(i), new Set(active.map(podIndex).filter((i) => i !== undefined)))
    : new Map<number, KubeObject>();

  // Finished pods still held by the tracking finalizer are counted and let go. A failed pod is
  // one that reached phase Failed or, without a failure policy, one being deleted; a failed pod
  // whose index waits for its replacement stays held so its failure count is handed on.
  const released = pods.filter((pod) => {
    if (!hasTrackingFinalizer(pod)) return false;
    if (pod.status?.phase === 'Succeeded') return true;
    if (ending) return isPodTerminal(pod) || !!pod.metadata.deletionTimestamp;
    if (!isPodFailed(pod, job)) return false;
    const idx = podIndex(pod);
    return idx === undefined || awaiting.get(idx)?.metadata.uid !== pod.metadata.uid;
  });
  // Pods removed because the Job is suspended count as nothing.
  const counted = p.suspended ? released.filter((pod) => !pod.metadata.deletionTimestamp) : released;
  const newlySucceeded = counted.filter((pod) => pod.status?.phase === 'Succeeded');
  // Failures an Ignore rule matched are not counted against backoffLimit; nor are pods of no valid index.
  const newlyFailed = counted.filter((pod) => pod.status?.phase !== 'Succeeded' && failureCounts(job, pod) && (!p.indexed || validIndex(pod, completions) !== undefined));
  const succeeded = p.indexed ? completed.size : (status.succeeded ?? 0) + newlySucceeded.length;
  const failed = (status.failed ?? 0) + newlyFailed.length;

  if (!p.suspended && !status.startTime) status.startTime = isoTime(now);
  const startMs = timestampMs(status.startTime);

  if (!ending) {
    const failJob = failJobMessage(job, pods);
    if (failJob) ending = podFailurePolicyEnding(failJob);
    else if (exceedsBackoffLimit(p, failed, active)) ending = BACKOFF_LIMIT;
    else if (p.activeDeadlineSeconds !== undefined && !p.suspended && startMs !== undefined && now - startMs >= p.activeDeadlineSeconds * 1000) ending = DEADLINE;
    else if (failedIndexes && p.maxFailedIndexes !== undefined && failedIndexes.size > p.maxFailedIndexes) ending = MAX_FAILED_INDEXES;
    else if (failedIndexes && failedIndexes.size > 0 && failedIndexes.size + completed.size >= completions) ending = FAILED_INDEXES;
    else if (isComplete(p, succeeded, completed, active.length)) ending = COMPLETIONS;
    else if (p.activeDeadlineSeconds !== undefined && !p.suspended && startMs !== undefined) pass.wakeAt(startMs + p.activeDeadlineSeconds * 1000);
    if (ending) conditions = upsertCondition(conditions, jobCondition(ending.success ? 'SuccessCriteriaMet' : 'FailureTarget', 'True', ending.reason, ending.message, now));
  }

  const terminatingPods = pods.filter((pod) => pod.metadata.deletionTimestamp && !isPodTerminal(pod));
  let terminating = terminatingPods.length;
  if (ending || p.suspended) {
    const result = await deleteJobPods(pass, job, active);
    active = active.filter((pod) => !result.has(pod.metadata.uid!));
    terminating += [...result.values()].filter((state) => state === 'terminating').length;
  } else {
    // Indexes with their own retry budget have their own back-off; otherwise the Job's applies.
    let mayCreate = true;
    if (perIndex === undefined) {
      const failedPods = pods.filter((pod) => pod.status?.phase === 'Failed' && !pod.metadata.deletionTimestamp);
      const allowedAt = nextCreateAllowedAt(pods.filter((pod) => pod.status?.phase === 'Succeeded'), failedPods);
      mayCreate = allowedAt === undefined || allowedAt <= now;
      if (!mayCreate) pass.wakeAt(allowedAt!);
    }
    const result = await managePods(pass, job, p, {
      active,
      // Replacements wait for pods being deleted to fail when only failed pods are replaced.
      terminating: onlyReplaceFailedPods(job) ? terminatingPods : [],
      succeeded,
      completed,
      failedIndexes,
      awaiting: perIndex !== undefined ? awaiting : undefined,
      mayCreate,
    }, admission);
    active = result.active;
    terminating += result.terminating;
  }
  conditions = await suspendedCondition(pass, job, p.suspended, conditions, now);
  if (p.suspended) delete status.startTime;

  if (ending && active.length === 0 && terminating === 0 && !getCondition(conditions, ending.success ? 'Complete' : 'Failed')) {
    conditions = upsertCondition(conditions, jobCondition(ending.success ? 'Complete' : 'Failed', 'True', ending.reason, ending.message, now));
    if (ending.success) status.completionTime = isoTime(now);
    await announce(pass, job, ending);
  }

  Object.assign(status, {
    active: active.length,
    ready: active.filter(isPodReady).length,
    succeeded,
    failed,
    terminating,
    uncountedTerminatedPods: {},
  });
  if (p.indexed) status.completedIndexes = formatIndexes(completed);
  if (failedIndexes) status.failedIndexes = formatIndexes(failedIndexes);
  if (conditions.length) status.conditions = conditions;
  await commitStatus(pass, job, status, released);
}

function exceedsBackoffLimit(p: ReturnType<typeof jobParams>, failed: number, active: KubeObject[]): boolean {
  if (p.restartPolicy === 'OnFailure') {
    const restarts = active.reduce((n, pod) => n + totalContainerRestarts(pod), 0);
    return p.backoffLimit === 0 ? restarts > 0 : restarts >= p.backoffLimit;
  }
  return failed > p.backoffLimit;
}

function isComplete(p: ReturnType<typeof jobParams>, succeeded: number, completed: Set<number>, activeCount: number): boolean {
  if (p.indexed) return completed.size >= (p.completions ?? 0);
  if (p.completions === undefined) return succeeded > 0 && activeCount === 0;
  return succeeded >= p.completions;
}


async function suspendedCondition(pass: Pass, job: KubeObject, suspended: boolean, conditions: Condition[], now: number): Promise<Condition[]> {
  const current = getCondition(conditions, 'Suspended');
  if (suspended && current?.status !== 'True') {
    await pass.event(job, 'Normal', 'Suspended', 'Job suspended');
    return upsertCondition(conditions, jobCondition('Suspended', 'True', 'JobSuspended', 'Job suspended', now));
  }
  if (!suspended && current?.status === 'True') {
    await pass.event(job, 'Normal', 'Resumed', 'Job resumed');
    return upsertCondition(conditions, jobCondition('Suspended', 'False', 'JobResumed', 'Job resumed', now));
  }
  return conditions;
}

async function announce(pass: Pass, job: KubeObject, ending: JobEnding): Promise<void> {
  if (ending.success) await pass.event(job, 'Normal', 'Completed', 'Job completed');
  else await pass.event(job, 'Warning', ending.reason, ending.message);
}

/** New counts and the release of the pods they count, in one atomic commit (never counted twice). */
async function commitStatus(pass: Pass, job: KubeObject, status: Record<string, unknown>, released: KubeObject[]): Promise<void> {
  if (canonicalJson(job.status ?? {}) === canonicalJson(status) && released.length === 0) return;
  const ops: WriteOp[] = [{ op: 'update', resource: 'jobs.batch', object: { ...job, status } }, ...released.map(releasePodOp)];
  await pass.attempt(() => pass.store.commit(pass.clusterId, ops), ops.length);
}

export async function releaseFinalizers(pass: Pass, pods: KubeObject[]): Promise<void> {
  if (pods.length === 0) return;
  const ops = pods.slice(0, pass.budgetLeft).map(releasePodOp);
  await pass.attempt(() => pass.store.commit(pass.clusterId, ops), ops.length);
}

async function claimPods(pass: Pass, job: KubeObject, candidates: KubeObject[]): Promise<KubeObject[]> {
  const selector = jobSelector(job);
  const plan = planClaims(job, candidates, (pod) => selectorMatches(selector, pod.metadata.labels));
  const owned = [...plan.owned];
  for (const pod of plan.adopt) {
    const adopted = await pass.attempt(() => pass.store.update(pass.clusterId, 'pods', withControllerRef(pod, job)));
    if (adopted) owned.push(adopted);
  }
  for (const pod of plan.release) await pass.attempt(() => pass.store.update(pass.clusterId, 'pods', withoutOwnerRef(pod, job.metadata.uid!)));
  return owned;
}

