import type { VerticalPodAutoscaler, VpaContainerRecommendation } from '../../kube/admission/vpa/types.ts';
import { parseCpuMillis, parseQuantityInt } from '../../lib/quantity.ts';
import { containerPolicy, controlledResources, quantityOf } from '../../kube/admission/vpa/policy.ts';
import type { ContainerAggregate } from './aggregate.ts';
import { CPU_HISTOGRAM, MEMORY_HISTOGRAM, percentile } from './histogram.ts';

/** Recommender flags (k8s-behavior §14.2). */
export const RECOMMENDER = {
  targetPercentile: 0.9,
  lowerBoundPercentile: 0.5,
  upperBoundPercentile: 0.95,
  safetyMargin: 0.15,
  podMinCpuMilli: 25,
  podMinMemoryBytes: 250 * 1024 * 1024,
  confidenceIntervalMs: 24 * 3_600_000,
};

export interface Resources {
  cpuMilli: number;
  memoryBytes: number;
}

export interface ContainerEstimate {
  target: Resources;
  lowerBound: Resources;
  upperBound: Resources;
}

/** conf = min(history in days, samples / (one per minute for a day)). */
export function confidence(a: ContainerAggregate): number {
  if (a.firstSampleStart === undefined || a.lastSampleStart === undefined) return 0;
  const days = (a.lastSampleStart - a.firstSampleStart) / RECOMMENDER.confidenceIntervalMs;
  return Math.min(days, a.totalSamplesCount / (60 * 24));
}

/**
 * The estimators chain of the recommender: a percentile of each histogram plus the 15 % margin,
 * the bounds widened by confidence (upper × (1 + 1/conf), lower × (1 + 0.001/conf)^−2), and the
 * per-pod minimum divided among the pod's containers.
 */
export function estimate(a: ContainerAggregate, containersInPod: number): ContainerEstimate {
  const conf = confidence(a);
  const margin = 1 + RECOMMENDER.safetyMargin;
  const at = (p: number): Resources => ({
    cpuMilli: percentile(CPU_HISTOGRAM, a.cpu, p) * 1000 * margin,
    memoryBytes: percentile(MEMORY_HISTOGRAM, a.memory, p) * margin,
  });
  const mul = (v: number, f: number) => (v === 0 ? 0 : v * f);
  const scale = (r: Resources, f: number): Resources => ({ cpuMilli: mul(r.cpuMilli, f), memoryBytes: mul(r.memoryBytes, f) });
  const upperFactor = conf > 0 ? 1 + 1 / conf : Infinity;
  const lowerFactor = conf > 0 ? (1 + 0.001 / conf) ** -2 : 0;
  // With almost no history the upper bound is unbounded; the histograms' range caps it.
  const cap = (r: Resources): Resources => ({
    cpuMilli: Math.min(r.cpuMilli, CPU_HISTOGRAM.maxValue * 1000),
    memoryBytes: Math.min(r.memoryBytes, MEMORY_HISTOGRAM.maxValue),
  });
  const floor = (r: Resources): Resources => ({
    cpuMilli: Math.max(r.cpuMilli, RECOMMENDER.podMinCpuMilli / containersInPod),
    memoryBytes: Math.max(r.memoryBytes, RECOMMENDER.podMinMemoryBytes / containersInPod),
  });
  return {
    target: floor(at(RECOMMENDER.targetPercentile)),
    lowerBound: floor(scale(at(RECOMMENDER.lowerBoundPercentile), lowerFactor)),
    upperBound: floor(cap(scale(at(RECOMMENDER.upperBoundPercentile), upperFactor))),
  };
}

function parseBound(v: unknown, resource: 'cpu' | 'memory'): number | undefined {
  if (v === undefined || v === null) return undefined;
  try {
    return resource === 'cpu' ? parseCpuMillis(String(v)) : parseQuantityInt(String(v));
  } catch {
    return undefined;
  }
}

function toList(r: Resources, resources: ('cpu' | 'memory')[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of resources) out[name] = quantityOf(name, name === 'cpu' ? r.cpuMilli : r.memoryBytes);
  return out;
}

/**
 * One entry of `status.recommendation.containerRecommendations`: uncappedTarget is the raw target;
 * target and the bounds are clamped to minAllowed/maxAllowed; only controlled resources appear.
 * Undefined for a container whose policy mode is Off.
 */
export function containerRecommendation(
  vpa: Pick<VerticalPodAutoscaler, 'spec'>,
  container: string,
  e: ContainerEstimate,
): Required<VpaContainerRecommendation> | undefined {
  const policy = containerPolicy(vpa, container);
  if (policy.mode === 'Off') return undefined;
  const resources = controlledResources(policy);
  const clamp = (r: Resources): Resources => {
    const out = { ...r };
    for (const name of ['cpu', 'memory'] as const) {
      const key = name === 'cpu' ? 'cpuMilli' : 'memoryBytes';
      const min = parseBound(policy.minAllowed?.[name], name);
      const max = parseBound(policy.maxAllowed?.[name], name);
      if (min !== undefined) out[key] = Math.max(out[key], min);
      if (max !== undefined) out[key] = Math.min(out[key], max);
    }
    return out;
  };
  return {
    containerName: container,
    target: toList(clamp(e.target), resources),
    lowerBound: toList(clamp(e.lowerBound), resources),
    upperBound: toList(clamp(e.upperBound), resources),
    uncappedTarget: toList(e.target, resources),
  };
}
