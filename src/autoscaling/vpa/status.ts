import { isoTime } from '../../lib/clock.ts';

/** A VerticalPodAutoscaler condition (a custom resource: no upstream core type). */
export interface VpaCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export type VpaConditionType = 'RecommendationProvided' | 'NoPodsMatched' | 'ConfigUnsupported' | 'LowConfidence' | 'FetchingHistory';

/** Sets or replaces a VPA condition; lastTransitionTime moves only when the status flips. */
export function setVpaCondition(conditions: VpaCondition[], type: VpaConditionType, status: 'True' | 'False', reason: string, message: string, now: number): VpaCondition[] {
  const old = conditions.find((c) => c.type === type);
  const next: VpaCondition = { type, status, lastTransitionTime: old && old.status === status ? old.lastTransitionTime : isoTime(now) };
  if (reason) next.reason = reason;
  if (message) next.message = message;
  return [...conditions.filter((c) => c.type !== type), next];
}

export function dropVpaCondition(conditions: VpaCondition[], type: VpaConditionType): VpaCondition[] {
  return conditions.filter((c) => c.type !== type);
}
