import { isoTime } from '../../lib/clock.ts';
import { removeCondition, transitioned } from '../../lib/conditions.ts';

import type { VpaCondition } from '../../kube/admission/vpa/types.ts';

export type { VpaCondition };

export type VpaConditionType = 'RecommendationProvided' | 'NoPodsMatched' | 'ConfigUnsupported' | 'LowConfidence' | 'FetchingHistory';

/** Sets or replaces a VPA condition; lastTransitionTime moves only when the status flips. */
export function setVpaCondition(
  conditions: VpaCondition[],
  type: VpaConditionType,
  status: 'True' | 'False',
  reason: string,
  message: string,
  now: number,
): VpaCondition[] {
  const next = transitioned(
    conditions.find((c) => c.type === type),
    { type, status, lastTransitionTime: isoTime(now), ...(reason ? { reason } : {}), ...(message ? { message } : {}) },
  );
  return [...removeCondition(conditions, type), next];
}

export function dropVpaCondition(conditions: VpaCondition[], type: VpaConditionType): VpaCondition[] {
  return conditions.filter((c) => c.type !== type);
}
