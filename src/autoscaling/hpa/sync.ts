import type { HorizontalPodAutoscaler } from '../../kube/objects.ts';
import type { MetricStatus } from './metrics.ts';
import type { HpaCondition } from './conditions.ts';
import type { KubeObject } from '../../kube/types.ts';
import { isoTime } from '../../lib/clock.ts';
import { compileLabelSelector } from '../../kube/selectors/labels.ts';
import { normalizeWithBehavior, normalizeWithoutBehavior, recordScaleEvent, type HpaMemory } from './behavior.ts';
import { setHpaCondition } from './conditions.ts';
import { computeMetric, MetricError, type PodUsageSample } from './metrics.ts';
import type { ReadinessSettings } from './replica-calc.ts';
import { DEFAULT_TOLERANCE, DOWNSCALE_STABILIZATION_SECONDS, effectiveBehavior, effectiveMetrics, minReplicasOf } from './spec.ts';

export interface HpaEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface HpaSyncInput {
  hpa: KubeObject;
  /** The scale target, or why it could not be read. */
  target: { object: KubeObject } | { error: string };
  /** Every pod of the HPA's namespace; the target's selector picks its own. */
  namespacePods: KubeObject[];
  /** Newest metrics sample per pod name of that namespace. */
  usage: Map<string, PodUsageSample>;
  memory: HpaMemory;
  now: number;
  readiness?: ReadinessSettings;
}

type HpaStatus = NonNullable<HorizontalPodAutoscaler['status']>;
/** The status a sync writes: conditions always set. */
type SyncedStatus = HpaStatus & { conditions: HpaCondition[] };

export interface HpaSyncResult {
  status: SyncedStatus;
  /** Set when the target's `spec.replicas` must change. */
  scaleTo?: number;
  events: HpaEvent[];
  memory: HpaMemory;
}

interface MetricsOutcome {
  replicas: number;
  metricName: string;
  statuses: MetricStatus[];
  error?: string;
  failedCondition?: { reason: string; message: string };
}

/** Each metric's proposal; the largest wins. Failures block scaling unless the others scale up. */
function replicasForMetrics(hpa: KubeObject, pods: KubeObject[], input: HpaSyncInput, currentReplicas: number, events: HpaEvent[]): MetricsOutcome {
  const specs = effectiveMetrics(hpa);
  const behavior = hpa.spec?.behavior;
  const tolerances = {
    up: typeof behavior?.scaleUp?.tolerance === 'number' ? behavior.scaleUp.tolerance : DEFAULT_TOLERANCE,
    down: typeof behavior?.scaleDown?.tolerance === 'number' ? behavior.scaleDown.tolerance : DEFAULT_TOLERANCE,
  };
  const statuses: MetricStatus[] = [];
  let replicas = 0;
  let metricName = '';
  let invalid = 0;
  let firstError: MetricError | undefined;
  for (const spec of specs) {
    try {
      const p = computeMetric(spec, { currentReplicas, pods, usage: input.usage, now: input.now, tolerances, readiness: input.readiness });
      statuses.push(p.status);
      if (replicas === 0 || p.replicas > replicas) {
        replicas = p.replicas;
        metricName = p.name;
      }
    } catch (err) {
      if (!(err instanceof MetricError)) throw err;
      statuses.push({ type: '' });
      events.push({ type: 'Warning', reason: err.reason, message: err.message });
      firstError ??= err;
      invalid++;
    }
  }
  if (firstError && (invalid >= specs.length || replicas < currentReplicas)) {
    return {
      replicas: -1,
      metricName: '',
      statuses,
      error: `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${firstError.message}`,
      failedCondition: { reason: firstError.reason, message: `the HPA was unable to compute the replica count: ${firstError.message}` },
    };
  }
  return { replicas, metricName, statuses };
}

/**
 * One reconcile of one HorizontalPodAutoscaler (horizontal.go reconcileAutoscaler): read the scale,
 * apply the guards, compute every metric's proposal, normalize (stabilization, behavior policies,
 * bounds), and build the new status, events and what to write. Pure: the caller does the I/O.
 */
export function syncHpa(input: HpaSyncInput): HpaSyncResult {
  const { hpa, now } = input;
  const memory: HpaMemory = structuredClone(input.memory);
  const events: HpaEvent[] = [];
  const old = hpa.status ?? {};
  let conditions: HpaCondition[] = old.conditions ?? [];
  const base = (extra: Partial<HpaStatus> = {}): SyncedStatus => ({
    observedGeneration: hpa.metadata.generation,
    ...(old.lastScaleTime ? { lastScaleTime: old.lastScaleTime } : {}),
    currentReplicas: old.currentReplicas ?? 0,
    desiredReplicas: old.desiredReplicas ?? 0,
    ...(old.currentMetrics ? { currentMetrics: old.currentMetrics } : {}),
    ...extra,
    conditions,
  });

  if ('error' in input.target) {
    events.push({ type: 'Warning', reason: 'FailedGetScale', message: input.target.error });
    conditions = setHpaCondition(
      conditions,
      'AbleToScale',
      'False',
      'FailedGetScale',
      `the HPA controller was unable to get the target's current scale: ${input.target.error}`,
      now,
    );
    return { status: base(), events, memory };
  }
  const target = input.target.object;
  conditions = setHpaCondition(conditions, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale", now);
  const currentReplicas: number = typeof target.spec?.replicas === 'number' ? target.spec.replicas : 1;
  memory.recommendations = memory.recommendations.length ? memory.recommendations : [{ at: now, replicas: currentReplicas }];
  const minReplicas = minReplicasOf(hpa);
  const maxReplicas: number = hpa.spec?.maxReplicas ?? minReplicas;

  let desired = 0;
  let reason = '';
  let rescale = true;
  let statuses: MetricStatus[] | undefined;
  if (currentReplicas === 0 && minReplicas !== 0) {
    rescale = false;
    conditions = setHpaCondition(
      conditions,
      'ScalingActive',
      'False',
      'ScalingDisabled',
      'scaling is disabled since the replica count of the target is zero',
      now,
    );
  } else if (currentReplicas > maxReplicas) {
    reason = 'Current number of replicas above Spec.MaxReplicas';
    desired = maxReplicas;
  } else if (currentReplicas < minReplicas) {
    reason = 'Current number of replicas below Spec.MinReplicas';
    desired = minReplicas;
  } else {
    const selector = target.spec?.selector;
    if (!selector) {
      events.push({ type: 'Warning', reason: 'SelectorRequired', message: 'selector is required' });
      conditions = setHpaCondition(conditions, 'ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector", now);
      return { status: base({ currentReplicas }), events, memory };
    }
    const matches = compileLabelSelector(selector);
    const pods = input.namespacePods.filter((p) => matches(p.metadata.labels));
    const m = replicasForMetrics(hpa, pods, input, currentReplicas, events);
    statuses = m.statuses;
    if (m.error) {
      conditions = setHpaCondition(conditions, 'ScalingActive', 'False', m.failedCondition!.reason, m.failedCondition!.message, now);
      events.push({ type: 'Warning', reason: 'FailedComputeMetricsReplicas', message: m.error });
      return { status: base({ currentReplicas, currentMetrics: statuses }), events, memory };
    }
    conditions = setHpaCondition(
      conditions,
      'ScalingActive',
      'True',
      'ValidMetricFound',
      `the HPA was able to successfully calculate a replica count from ${m.metricName}`,
      now,
    );
    desired = m.replicas;
    if (desired > currentReplicas) reason = `${m.metricName} above target`;
    if (desired < currentReplicas) reason = 'All metrics below target';
    const normalized = hpa.spec?.behavior
      ? normalizeWithBehavior(memory, effectiveBehavior(hpa.spec.behavior), currentReplicas, desired, minReplicas, maxReplicas, now)
      : normalizeWithoutBehavior(memory, currentReplicas, desired, minReplicas, maxReplicas, now, DOWNSCALE_STABILIZATION_SECONDS * 1000);
    conditions = setHpaCondition(conditions, 'AbleToScale', normalized.ableToScale.status, normalized.ableToScale.reason, normalized.ableToScale.message, now);
    conditions = setHpaCondition(
      conditions,
      'ScalingLimited',
      normalized.scalingLimited.status,
      normalized.scalingLimited.reason,
      normalized.scalingLimited.message,
      now,
    );
    desired = normalized.desired;
    rescale = desired !== currentReplicas;
  }

  if (rescale) {
    conditions = setHpaCondition(
      conditions,
      'AbleToScale',
      'True',
      'SucceededRescale',
      `the HPA controller was able to update the target scale to ${desired}`,
      now,
    );
    events.push({ type: 'Normal', reason: 'SuccessfulRescale', message: `New size: ${desired}; reason: ${reason}` });
    if (hpa.spec?.behavior) recordScaleEvent(memory, effectiveBehavior(hpa.spec.behavior), currentReplicas, desired, now);
  } else desired = currentReplicas;

  const status = {
    observedGeneration: hpa.metadata.generation,
    ...(rescale ? { lastScaleTime: isoTime(now) } : old.lastScaleTime ? { lastScaleTime: old.lastScaleTime } : {}),
    currentReplicas,
    desiredReplicas: desired,
    ...(statuses ? { currentMetrics: statuses } : {}),
    conditions,
  };
  return { status, scaleTo: rescale ? desired : undefined, events, memory };
}
