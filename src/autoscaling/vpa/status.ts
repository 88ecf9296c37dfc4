/* eslint-disable @typescript-eslint/no-explicit-any */
import { isoTime } from '../../lib/clock.ts';
import { removeCondition, transitioned } from '../../lib/conditions.ts';

export type VpaConditionType = 'RecommendationProvided' | 'NoPodsMatched' | 'ConfigUnsupported' | 'LowConfidence' | 'FetchingHistory';

/** Sets or replaces a VPA condition; lastTransitionTime moves only when the status flips. */
export function setVpaCondition(conditions: any[], type: VpaConditionType, status: 'True' | 'False', reason: string, message: string, now: number): any[] {
  const next = transitioned(conditions.find((c) => c.type === type), { type, status, lastTransitionTime: isoTime(now), ...(reason ? { reason } : {}), ...(message ? { message } : {}) });
  return [...removeCondition(conditions, type), next];
}

export function dropVpaCondition(conditions: any[], type: VpaConditionType): any[] {
  return conditions.filter((c) => c.type !== type);
}
