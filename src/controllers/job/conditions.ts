import { isoTime } from '../../lib/clock.ts';
import type { Condition } from '../../lib/conditions.ts';
import { getCondition } from '../../lib/conditions.ts';

/** Why a Job ends, with the reasons and messages the job controller writes. */
export interface JobEnding {
  success: boolean;
  reason: string;
  message: string;
}

export const BACKOFF_LIMIT: JobEnding = { success: false, reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
export const DEADLINE: JobEnding = { success: false, reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
export const MAX_FAILED_INDEXES: JobEnding = {
  success: false,
  reason: 'MaxFailedIndexesExceeded',
  message: 'Job has exceeded the specified maximal number of failed indexes',
};
export const FAILED_INDEXES: JobEnding = { success: false, reason: 'FailedIndexes', message: 'Job has failed indexes' };
/** A FailJob rule of spec.podFailurePolicy matched; the message names the pod and the rule. */
export const podFailurePolicyEnding = (message: string): JobEnding => ({ success: false, reason: 'PodFailurePolicy', message });
export const COMPLETIONS: JobEnding = { success: true, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };

export function jobCondition(type: string, status: Condition['status'], reason: string, message: string, nowMs: number): Condition {
  const t = isoTime(nowMs);
  return { type, status, reason, message, lastProbeTime: t, lastTransitionTime: t };
}

/** The ending already decided (FailureTarget / SuccessCriteriaMet come before Failed / Complete, 1.31+). */
export function pendingEnding(conditions: Condition[] | undefined): JobEnding | undefined {
  const failure = getCondition(conditions, 'FailureTarget');
  if (failure?.status === 'True') return { success: false, reason: failure.reason ?? '', message: failure.message ?? '' };
  const success = getCondition(conditions, 'SuccessCriteriaMet');
  if (success?.status === 'True') return { success: true, reason: success.reason ?? '', message: success.message ?? '' };
  return undefined;
}
