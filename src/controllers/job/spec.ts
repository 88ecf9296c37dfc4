import type { IJobCondition } from 'kubernetes-models/batch/v1';
import type { KubeObject } from '../../kube/types.ts';
import type { LabelSelector } from '../shared/selector.ts';

export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

/** A Job's knobs with batch/v1 defaults (the API may not have applied them). */
export interface JobParams {
  /** undefined: a work queue (any success completes once the rest finish). */
  completions: number | undefined;
  parallelism: number;
  backoffLimit: number;
  /** Indexed Jobs only: retries allowed per index (then the global backoffLimit defaults to unlimited). */
  backoffLimitPerIndex: number | undefined;
  maxFailedIndexes: number | undefined;
  indexed: boolean;
  suspended: boolean;
  activeDeadlineSeconds: number | undefined;
  restartPolicy: string;
}

export function jobParams(job: KubeObject): JobParams {
  const s = job.spec ?? {};
  const bothUnset = s.completions === undefined && s.parallelism === undefined;
  return {
    completions: bothUnset ? 1 : (s.completions ?? undefined),
    parallelism: s.parallelism ?? 1,
    backoffLimit: s.backoffLimit ?? (typeof s.backoffLimitPerIndex === 'number' ? 2 ** 31 - 1 : 6),
    backoffLimitPerIndex: s.completionMode === 'Indexed' && typeof s.backoffLimitPerIndex === 'number' ? s.backoffLimitPerIndex : undefined,
    maxFailedIndexes: typeof s.maxFailedIndexes === 'number' ? s.maxFailedIndexes : undefined,
    indexed: s.completionMode === 'Indexed',
    suspended: s.suspend === true,
    activeDeadlineSeconds: s.activeDeadlineSeconds ?? undefined,
    restartPolicy: s.template?.spec?.restartPolicy ?? 'Never',
  };
}

/** The labels a Job's pods carry so its generated selector finds them (API server Job strategy). */
export function jobPodLabels(job: KubeObject): Record<string, string> {
  if (job.spec?.manualSelector) return {};
  const uid = job.metadata.uid!;
  const name = job.metadata.name!;
  return {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
}

/** spec.selector, or the one the API server would have generated from the Job's uid. */
export function jobSelector(job: KubeObject): LabelSelector | undefined {
  if (job.spec?.selector) return job.spec.selector;
  if (job.spec?.manualSelector) return undefined;
  return { matchLabels: { 'batch.kubernetes.io/controller-uid': job.metadata.uid! } };
}

export function conditionTrue(job: KubeObject, type: string): boolean {
  return (job.status?.conditions ?? []).some((c: IJobCondition) => c.type === type && c.status === 'True');
}

/** Complete or Failed: nothing more happens to the Job but finalizer cleanup. */
export function jobFinished(job: KubeObject): boolean {
  return conditionTrue(job, 'Complete') || conditionTrue(job, 'Failed');
}
