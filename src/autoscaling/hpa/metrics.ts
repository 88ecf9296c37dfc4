import type { HorizontalPodAutoscaler } from '../../kube/objects.ts';
import type { KubeObject } from '../../kube/types.ts';
import { formatCpuMillis, formatQuantity, parseCpuMillis, parseQuantity } from '../../lib/quantity.ts';
import {
  averageValueReplicas,
  podRequestsFor,
  ReplicaCalcError,
  resourceReplicas,
  type PodMetric,
  type ReadinessSettings,
  type Tolerances,
} from './replica-calc.ts';

/** Usage per pod as the metrics API reports it: total and per container, cpu in millicores, memory in bytes. */
export interface PodUsageSample {
  at: number;
  windowMs: number;
  cpuMilli: number;
  memoryBytes: number;
  containers: { name: string; cpuMilli: number; memoryBytes: number }[];
}

export interface MetricContext {
  currentReplicas: number;
  pods: KubeObject[];
  /** Newest sample per pod name (the target's namespace). */
  usage: Map<string, PodUsageSample>;
  now: number;
  tolerances: Tolerances;
  readiness?: ReadinessSettings;
}

/** One entry of spec.metrics and of status.currentMetrics (autoscaling/v2). */
export type MetricSpec = NonNullable<NonNullable<HorizontalPodAutoscaler['spec']>['metrics']>[number];
export type MetricStatus = NonNullable<NonNullable<HorizontalPodAutoscaler['status']>['currentMetrics']>[number];
type MetricTarget = NonNullable<MetricSpec['resource']>['target'];

export interface MetricProposal {
  replicas: number;
  /** e.g. "cpu resource utilization (percentage of request)", used in events and conditions. */
  name: string;
  status: MetricStatus;
}

/** A metric that could not be computed: the condition reason and the error text Kubernetes reports. */
export class MetricError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Milli-units, as the HPA works: millicores for cpu, thousandths of a byte for memory. */
function milliOf(resource: string, cpuMilli: number, memoryBytes: number): number | undefined {
  if (resource === 'cpu') return cpuMilli;
  if (resource === 'memory') return memoryBytes * 1000;
  return undefined;
}

function formatMilli(resource: string, milli: number): string {
  return resource === 'cpu' ? formatCpuMillis(Math.round(milli)) : formatQuantity(Math.round(milli / 1000));
}

function parseTarget(resource: string, q: unknown): number {
  return resource === 'cpu' ? parseCpuMillis(String(q)) : parseQuantity(String(q)) * 1000;
}

function podMetrics(ctx: MetricContext, resource: string, container?: string): Map<string, PodMetric> {
  const out = new Map<string, PodMetric>();
  for (const [pod, s] of ctx.usage) {
    let value: number | undefined;
    if (container === undefined) value = milliOf(resource, s.cpuMilli, s.memoryBytes);
    else {
      const c = s.containers.find((x) => x.name === container);
      if (c) value = milliOf(resource, c.cpuMilli, c.memoryBytes);
    }
    if (value !== undefined) out.set(pod, { value, timestamp: s.at, windowMs: s.windowMs });
  }
  return out;
}

/** Resource and ContainerResource metrics: Utilization or AverageValue targets. */
function resourceMetric(spec: MetricSpec, ctx: MetricContext, container?: string): MetricProposal {
  const source = container !== undefined ? spec.containerResource : spec.resource;
  const resource = source?.name as string; // validation requires the resource name
  const target: Partial<MetricTarget> = source?.target ?? {};
  const kind = container !== undefined ? 'ContainerResource' : 'Resource';
  const metrics = podMetrics(ctx, resource, container);
  const label = `${resource} ${container !== undefined ? 'container ' : ''}resource`;
  const wrap = (what: string, err: unknown) => {
    const reason = container !== undefined ? 'FailedGetContainerResourceMetric' : 'FailedGetResourceMetric';
    return new MetricError(reason, `failed to get ${resource}${container !== undefined ? ` container ${container}` : ''} ${what}: ${(err as Error).message}`);
  };
  if (metrics.size === 0) {
    throw wrap(
      target.type === 'AverageValue' ? 'usage' : 'utilization',
      new Error(`unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`),
    );
  }
  const common = {
    currentReplicas: ctx.currentReplicas,
    pods: ctx.pods,
    metrics,
    resource,
    now: ctx.now,
    tolerances: ctx.tolerances,
    readiness: ctx.readiness,
  };
  try {
    if (target.type === 'AverageValue' && target.averageValue !== undefined) {
      const p = averageValueReplicas({ ...common, targetAverage: parseTarget(resource, target.averageValue) });
      const status: MetricStatus = {
        type: kind,
        [container !== undefined ? 'containerResource' : 'resource']: {
          name: resource,
          ...(container !== undefined ? { container } : {}),
          current: { averageValue: formatMilli(resource, p.rawAverage) },
        },
      };
      return { replicas: p.replicas, name: label, status };
    }
    if (typeof target.averageUtilization !== 'number')
      throw new ReplicaCalcError('invalid resource metric source: neither a utilization target nor a value target was set');
    const requests = podRequestsFor(ctx.pods, resource, container);
    const p = resourceReplicas({ ...common, targetUtilization: target.averageUtilization, requests });
    const status: MetricStatus = {
      type: kind,
      [container !== undefined ? 'containerResource' : 'resource']: {
        name: resource,
        ...(container !== undefined ? { container } : {}),
        current: { averageUtilization: p.utilization, averageValue: formatMilli(resource, p.rawAverage) },
      },
    };
    return { replicas: p.replicas, name: `${label} utilization (percentage of request)`, status };
  } catch (err) {
    if (err instanceof ReplicaCalcError) throw wrap(target.type === 'AverageValue' ? 'usage' : 'utilization', err);
    throw err;
  }
}

/**
 * One metric's replica proposal. Pods, Object and External metrics need a custom or external
 * metrics API, which kates does not run: they fail the way they do on a cluster without an adapter.
 */
export function computeMetric(spec: MetricSpec, ctx: MetricContext): MetricProposal {
  switch (spec?.type) {
    case 'Resource':
      return resourceMetric(spec, ctx);
    case 'ContainerResource':
      return resourceMetric(spec, ctx, spec.containerResource?.container ?? '');
    case 'Pods':
      throw new MetricError(
        'FailedGetPodsMetric',
        `unable to get metric ${spec.pods?.metric?.name}: unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered`,
      );
    case 'Object':
      throw new MetricError(
        'FailedGetObjectMetric',
        `unable to get metric ${spec.object?.metric?.name}: ${spec.object?.describedObject?.kind}/${spec.object?.describedObject?.name}: unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered`,
      );
    case 'External':
      throw new MetricError(
        'FailedGetExternalMetric',
        `unable to get external metric ${spec.external?.metric?.name}: unable to fetch metrics from external metrics API: no external metrics API (external.metrics.k8s.io) registered`,
      );
    default:
      throw new MetricError('InvalidMetricSourceType', `unknown metric source type "${spec?.type}"`);
  }
}
