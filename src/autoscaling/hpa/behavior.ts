import type { Behavior, ScalingRules } from './spec.ts';

export interface Recommendation {
  at: number;
  replicas: number;
}

/** A past rescale: how many replicas it added (scale-up list) or removed (scale-down list). */
export interface ScaleEvent {
  at: number;
  change: number;
}

/** What the HPA controller remembers about one HPA between syncs. */
export interface HpaMemory {
  recommendations: Recommendation[];
  scaleUpEvents: ScaleEvent[];
  scaleDownEvents: ScaleEvent[];
  lastSyncAt?: number;
}

export const emptyMemory = (): HpaMemory => ({ recommendations: [], scaleUpEvents: [], scaleDownEvents: [] });

export interface ConditionOutcome {
  status: 'True' | 'False';
  reason: string;
  message: string;
}

export interface Normalized {
  desired: number;
  ableToScale: ConditionOutcome;
  scalingLimited: ConditionOutcome;
}

const STABILIZED_UP: ConditionOutcome = {
  status: 'True',
  reason: 'ScaleUpStabilized',
  message: 'recent recommendations were lower than current one, applying the lowest recent recommendation',
};
const STABILIZED_DOWN: ConditionOutcome = {
  status: 'True',
  reason: 'ScaleDownStabilized',
  message: 'recent recommendations were higher than current one, applying the highest recent recommendation',
};
const READY: ConditionOutcome = { status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
const WITHIN = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };

/** Replicas added (or removed) by the events of the last `periodSeconds`. */
export function changeWithinPeriod(events: ScaleEvent[], periodSeconds: number, now: number): number {
  const cutoff = now - periodSeconds * 1000;
  return events.reduce((sum, e) => (e.at > cutoff ? sum + e.change : sum), 0);
}

/** The most replicas the scale-up policies allow now: per policy from the period's starting size, combined by selectPolicy. */
export function scaleUpLimit(current: number, events: ScaleEvent[], rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = rules.selectPolicy === 'Min' ? Infinity : -Infinity;
  for (const p of rules.policies) {
    const periodStart = current - changeWithinPeriod(events, p.periodSeconds, now);
    const proposed = p.type === 'Pods' ? periodStart + p.value : Math.ceil(periodStart * (1 + p.value / 100));
    result = pick(result, proposed);
  }
  return Number.isFinite(result) ? result : current;
}

/** The fewest replicas the scale-down policies allow now. */
export function scaleDownLimit(current: number, events: ScaleEvent[], rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  let result = rules.selectPolicy === 'Min' ? -Infinity : Infinity;
  for (const p of rules.policies) {
    const periodStart = current + changeWithinPeriod(events, p.periodSeconds, now);
    const proposed = p.type === 'Pods' ? periodStart - p.value : Math.floor(periodStart * (1 - p.value / 100));
    result = pick(result, proposed);
  }
  return Number.isFinite(result) ? result : current;
}

/**
 * Stabilization with behavior: among the recommendations inside the window of the direction being
 * considered (the new one included), scaling up takes the lowest and scaling down the highest.
 * Records the new recommendation and forgets those older than both windows.
 */
export function stabilize(
  memory: HpaMemory,
  behavior: Behavior,
  current: number,
  recommendation: number,
  now: number,
): { replicas: number; outcome: ConditionOutcome } {
  const up = recommendation >= current;
  const window = (up ? behavior.scaleUp : behavior.scaleDown).stabilizationWindowSeconds * 1000;
  let replicas = recommendation;
  for (const r of memory.recommendations) {
    if (r.at > now - window) replicas = up ? Math.min(replicas, r.replicas) : Math.max(replicas, r.replicas);
  }
  const longest = Math.max(behavior.scaleUp.stabilizationWindowSeconds, behavior.scaleDown.stabilizationWindowSeconds) * 1000;
  memory.recommendations = [...memory.recommendations.filter((r) => r.at >= now - longest), { at: now, replicas: recommendation }];
  return { replicas, outcome: replicas !== recommendation ? (up ? STABILIZED_UP : STABILIZED_DOWN) : READY };
}

/** The rate limits and min/max bounds of behavior applied to a stabilized recommendation. */
export function limitByBehavior(
  memory: HpaMemory,
  behavior: Behavior,
  current: number,
  desired: number,
  min: number,
  max: number,
  now: number,
): { replicas: number; reason: string; message: string } {
  if (desired > current) {
    const limit = Math.max(current, scaleUpLimit(current, memory.scaleUpEvents, behavior.scaleUp, now));
    const byRate = max > limit;
    const allowed = byRate ? limit : max;
    if (desired > allowed) {
      return byRate
        ? { replicas: allowed, reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' }
        : { replicas: allowed, reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
    }
  } else if (desired < current) {
    const limit = Math.min(current, scaleDownLimit(current, memory.scaleDownEvents, behavior.scaleDown, now));
    const byRate = min < limit;
    const allowed = byRate ? limit : min;
    if (desired < allowed) {
      return byRate
        ? { replicas: allowed, reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' }
        : { replicas: allowed, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
    }
  }
  return { replicas: desired, ...WITHIN };
}

/** `spec.behavior` set: stabilize, then apply the policies and bounds. */
export function normalizeWithBehavior(
  memory: HpaMemory,
  behavior: Behavior,
  current: number,
  recommendation: number,
  min: number,
  max: number,
  now: number,
): Normalized {
  const stable = stabilize(memory, behavior, current, recommendation, now);
  const limited = limitByBehavior(memory, behavior, current, stable.replicas, min, max, now);
  return {
    desired: limited.replicas,
    ableToScale: stable.outcome,
    scalingLimited: { status: limited.replicas === stable.replicas ? 'False' : 'True', reason: limited.reason, message: limited.message },
  };
}

/**
 * No `spec.behavior`: the controller-wide rules. The highest recommendation of the downscale window
 * (5 min) wins, scale-up is capped at max(2 × current, 4), and min/max apply.
 */
export function normalizeWithoutBehavior(
  memory: HpaMemory,
  current: number,
  recommendation: number,
  min: number,
  max: number,
  now: number,
  downscaleWindowMs: number,
): Normalized {
  let stabilized = recommendation;
  for (const r of memory.recommendations) if (r.at >= now - downscaleWindowMs) stabilized = Math.max(stabilized, r.replicas);
  memory.recommendations = [...memory.recommendations.filter((r) => r.at >= now - downscaleWindowMs), { at: now, replicas: recommendation }];
  const ableToScale = stabilized !== recommendation ? STABILIZED_DOWN : READY;
  const upLimit = Math.max(2 * current, 4);
  let result = { replicas: stabilized, ...WITHIN };
  if (stabilized < min) result = { replicas: min, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
  else if (max > upLimit && stabilized > upLimit)
    result = { replicas: upLimit, reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
  else if (max <= upLimit && stabilized > max)
    result = { replicas: max, reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
  return {
    desired: result.replicas,
    ableToScale,
    scalingLimited: { status: result.replicas === stabilized ? 'False' : 'True', reason: result.reason, message: result.message },
  };
}

/** Records a rescale for the rate policies, forgetting events older than the direction's longest period. */
export function recordScaleEvent(memory: HpaMemory, behavior: Behavior, from: number, to: number, now: number): void {
  const up = to > from;
  const rules = up ? behavior.scaleUp : behavior.scaleDown;
  const longest = Math.max(0, ...rules.policies.map((p) => p.periodSeconds)) * 1000;
  const list = (up ? memory.scaleUpEvents : memory.scaleDownEvents).filter((e) => e.at > now - longest);
  list.push({ at: now, change: Math.abs(to - from) });
  if (up) memory.scaleUpEvents = list;
  else memory.scaleDownEvents = list;
}
