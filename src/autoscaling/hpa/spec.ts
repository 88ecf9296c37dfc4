import type { HorizontalPodAutoscaler } from '../../kube/objects.ts';
import type { MetricSpec } from './metrics.ts';
import type { KubeObject } from '../../kube/types.ts';

export type PolicyType = 'Pods' | 'Percent';
export type SelectPolicy = 'Max' | 'Min' | 'Disabled';

export interface ScalingPolicy {
  type: PolicyType;
  value: number;
  periodSeconds: number;
}

export interface ScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: SelectPolicy;
  policies: ScalingPolicy[];
  /** Per-direction tolerance (alpha in 1.33); the controller-wide 0.1 otherwise. */
  tolerance?: number;
}

export interface Behavior {
  scaleUp: ScalingRules;
  scaleDown: ScalingRules;
}

/** `--horizontal-pod-autoscaler-sync-period` (k8s-behavior §13.1). */
export const HPA_SYNC_PERIOD_MS = 15_000;
/** `--horizontal-pod-autoscaler-tolerance`. */
export const DEFAULT_TOLERANCE = 0.1;
/** `--horizontal-pod-autoscaler-downscale-stabilization`. */
export const DOWNSCALE_STABILIZATION_SECONDS = 300;
/** `--horizontal-pod-autoscaler-cpu-initialization-period`. */
export const CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
/** `--horizontal-pod-autoscaler-initial-readiness-delay`. */
export const INITIAL_READINESS_DELAY_MS = 30_000;

type HpaBehavior = NonNullable<NonNullable<HorizontalPodAutoscaler['spec']>['behavior']>;
/** Upstream's scaling rules; `tolerance` is newer (autoscaling/v2, 1.33) than the package's types. */
type HpaScalingRules = NonNullable<HpaBehavior['scaleUp']> & { tolerance?: number | string };

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function rules(raw: HpaScalingRules | undefined, fallback: ScalingRules): ScalingRules {
  if (!raw) return fallback;
  const policies: ScalingPolicy[] =
    Array.isArray(raw.policies) && raw.policies.length
      ? raw.policies.map((p) => ({ type: p.type === 'Pods' ? 'Pods' : 'Percent', value: Number(p.value) || 0, periodSeconds: Number(p.periodSeconds) || 15 }))
      : fallback.policies;
  const select = raw.selectPolicy === 'Min' || raw.selectPolicy === 'Disabled' ? raw.selectPolicy : 'Max';
  return {
    stabilizationWindowSeconds: num(raw.stabilizationWindowSeconds) ?? fallback.stabilizationWindowSeconds,
    selectPolicy: select,
    policies,
    ...(num(raw.tolerance) !== undefined ? { tolerance: Number(raw.tolerance) } : {}),
  };
}

/** API defaults of `spec.behavior` (autoscaling/v2 defaults.go), applied to whatever part is set. */
export function effectiveBehavior(raw: HpaBehavior | undefined): Behavior {
  return {
    scaleUp: rules(raw?.scaleUp, {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    }),
    scaleDown: rules(raw?.scaleDown, {
      stabilizationWindowSeconds: DOWNSCALE_STABILIZATION_SECONDS,
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    }),
  };
}

/** The metric list with the API default (80% average CPU utilization) when none is given. */
export function effectiveMetrics(hpa: KubeObject): MetricSpec[] {
  const metrics = hpa.spec?.metrics;
  if (Array.isArray(metrics) && metrics.length) return metrics;
  const legacy = hpa.spec?.targetCPUUtilizationPercentage;
  return [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: typeof legacy === 'number' ? legacy : 80 } } }];
}

export function minReplicasOf(hpa: KubeObject): number {
  return typeof hpa.spec?.minReplicas === 'number' ? hpa.spec.minReplicas : 1;
}
