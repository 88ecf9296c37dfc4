import { isoTime } from '../../lib/clock.ts';
import { replaceCondition } from '../../lib/conditions.ts';
import type { HorizontalPodAutoscaler } from '../../kube/objects.ts';

export type HpaCondition = NonNullable<NonNullable<HorizontalPodAutoscaler['status']>['conditions']>[number];

export type HpaConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';

/**
 * The HPA's setCondition: reason and message always take the new values, lastTransitionTime moves
 * only when the status flips, the condition keeps its place and a new one goes last.
 */
export function setHpaCondition(
  conditions: HpaCondition[],
  type: HpaConditionType,
  status: 'True' | 'False',
  reason: string,
  message: string,
  now: number,
): HpaCondition[] {
  return replaceCondition(conditions, { type, status, reason, message, lastTransitionTime: isoTime(now) });
}
