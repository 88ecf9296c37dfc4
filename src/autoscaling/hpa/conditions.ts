/* eslint-disable @typescript-eslint/no-explicit-any */
import { isoTime } from '../../lib/clock.ts';

export type HpaConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';

/**
 * The HPA's setCondition: reason and message always take the new values, lastTransitionTime moves
 * only when the status flips, a new condition goes last.
 */
export function setHpaCondition(conditions: any[], type: HpaConditionType, status: 'True' | 'False', reason: string, message: string, now: number): any[] {
  const list = conditions.map((c) => ({ ...c }));
  let c = list.find((x) => x.type === type);
  if (!c) {
    c = { type };
    list.push(c);
  }
  if (c.status !== status) c.lastTransitionTime = isoTime(now);
  c.status = status;
  c.reason = reason;
  c.message = message;
  return list;
}
