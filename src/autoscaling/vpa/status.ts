/* eslint-disable @typescript-eslint/no-explicit-any */
import { isoTime } from '../../lib/clock.ts';

export type VpaConditionType = 'RecommendationProvided' | 'NoPodsMatched' | 'ConfigUnsupported' | 'LowConfidence' | 'FetchingHistory';

/** Sets or replaces a VPA condition; lastTransitionTime moves only when the status flips. */
export function setVpaCondition(conditions: any[], type: VpaConditionType, status: 'True' | 'False', reason: string, message: string, now: number): any[] {
  const old = conditions.find((c) => c.type === type);
  const next: any = { type, status, lastTransitionTime: old && old.status === status ? old.lastTransitionTime : isoTime(now) };
  if (reason) next.reason = reason;
  if (message) next.message = message;
  return [...conditions.filter((c) => c.type !== type), next];
}

export function dropVpaCondition(conditions: any[], type: VpaConditionType): any[] {
  return conditions.filter((c) => c.type !== type);
}
