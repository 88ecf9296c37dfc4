import { isoTime } from '../../lib/clock.ts';
import type { HorizontalPodAutoscaler } from '../../kube/objects.ts';

export type HpaCondition = NonNullable<NonNullable<HorizontalPodAutoscaler['status']>['conditions']>[number];

export type HpaConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';

/**
 * The HPA's setCondition: reason and message always take the new values, lastTransitionTime moves
 * only when the status flips, a new condition goes last.
 */
export function setHpaCondition(conditions: HpaCondition[], type: HpaConditionType, status: 'True' | 'False', reason: string, message: string, now: number): HpaCondition[] {
  const list = conditions.map((c) => ({ ...c }));
  let c = list.find((x) => x.type === type);
  if (!c) {
    c = { type } as HpaCondition; // status is set below, after the transition check
    list.push(c);
  }
  if (c.status !== status) c.lastTransitionTime = isoTime(now);
  c.status = status;
  c.reason = reason;
  c.message = message;
  return list;
}
