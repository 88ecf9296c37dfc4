import type { Pod } from '../../kube/objects.ts';
import { containerRequests } from '../../lib/resources.ts';
import { CPU_INITIALIZATION_PERIOD_MS, DEFAULT_TOLERANCE, INITIAL_READINESS_DELAY_MS } from './spec.ts';

/** One pod's metric as the resource metrics API reports it, in milli-units (millicores, milli-bytes). */
export interface PodMetric {
  value: number;
  /** End of the sampling window (cluster ms). */
  timestamp: number;
  windowMs: number;
}

export interface Tolerances {
  up: number;
  down: number;
}

export const DEFAULT_TOLERANCES: Tolerances = { up: DEFAULT_TOLERANCE, down: DEFAULT_TOLERANCE };

export interface ReadinessSettings {
  cpuInitializationPeriodMs: number;
  initialReadinessDelayMs: number;
}

export const DEFAULT_READINESS: ReadinessSettings = {
  cpuInitializationPeriodMs: CPU_INITIALIZATION_PERIOD_MS,
  initialReadinessDelayMs: INITIAL_READINESS_DELAY_MS,
};

/** A replica computation failure; the message is the one Kubernetes reports. */
export class ReplicaCalcError extends Error {}

export interface PodGroups {
  readyCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

const ms = (t: string | undefined) => (t ? Date.parse(t) : NaN);

/**
 * Sorts the target's pods the way the HPA does: ignored (deleted or failed), unready (pending; for
 * cpu also not Ready, or inside the CPU initialization period without a clean sample), missing (no
 * metric) and ready.
 */
export function groupPods(
  pods: Pod[],
  metrics: Map<string, PodMetric>,
  resource: string,
  now: number,
  readiness: ReadinessSettings = DEFAULT_READINESS,
): PodGroups {
  const g: PodGroups = { readyCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata.name!;
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed') {
      g.ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      g.unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      g.missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const ready = (pod.status?.conditions ?? []).find((c) => c.type === 'Ready');
      const start = ms(pod.status?.startTime);
      let unready: boolean;
      if (!ready || Number.isNaN(start)) unready = true;
      else if (start + readiness.cpuInitializationPeriodMs > now) {
        // Still starting: only a Ready pod with a full window of metrics since it became ready counts.
        unready = ready.status === 'False' || metric.timestamp < ms(ready.lastTransitionTime) + metric.windowMs;
      } else {
        // Past initialization: ignore only a pod that has never been ready.
        unready = ready.status === 'False' && start + readiness.initialReadinessDelayMs > ms(ready.lastTransitionTime);
      }
      if (unready) {
        g.unready.add(name);
        continue;
      }
    }
    g.readyCount++;
  }
  return g;
}

/** Per pod, the sum of its containers' requests for `resource` (milli-units); a container without one is an error. */
export function podRequestsFor(pods: Pod[], resource: string, container?: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    let total = 0;
    for (const c of pod.spec?.containers ?? []) {
      if (container !== undefined && c.name !== container) continue;
      const r = containerRequests(c)[resource];
      if (r === undefined) throw new ReplicaCalcError(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`);
      total += resource === 'cpu' ? r : r * 1000;
    }
    out.set(pod.metadata.name!, total);
  }
  return out;
}

export interface UtilizationRatio {
  ratio: number;
  /** Truncated percentage of the requests, as the HPA reports it. */
  utilization: number;
  /** Average raw value per pod (milli-units). */
  rawAverage: number;
}

/** Σ usage / Σ requests over pods with metrics, truncated to a whole percent, against the target. */
export function resourceUtilizationRatio(metrics: Map<string, PodMetric>, requests: Map<string, number>, targetUtilization: number): UtilizationRatio {
  let usage = 0;
  let requested = 0;
  let n = 0;
  for (const [name, m] of metrics) {
    const r = requests.get(name);
    if (r === undefined) continue;
    usage += m.value;
    requested += r;
    n++;
  }
  if (requested === 0) throw new ReplicaCalcError('no metrics returned matched known pods');
  const utilization = Math.trunc((usage * 100) / requested);
  return { ratio: utilization / targetUtilization, utilization, rawAverage: Math.trunc(usage / n) };
}

const withinTolerance = (ratio: number, t: Tolerances) => ratio <= 1 + t.up && ratio >= 1 - t.down;

export interface ReplicaProposal {
  replicas: number;
  utilization: number;
  rawAverage: number;
  timestamp: number;
}

interface CalcInput {
  currentReplicas: number;
  pods: Pod[];
  metrics: Map<string, PodMetric>;
  resource: string;
  now: number;
  tolerances?: Tolerances;
  readiness?: ReadinessSettings;
}

function newestTimestamp(metrics: Map<string, PodMetric>): number {
  let t = 0;
  for (const m of metrics.values()) t = Math.max(t, m.timestamp);
  return t;
}

/**
 * The shared core of the resource replica calculation: ratio from the pods with clean metrics, then,
 * when pods were missing or not ready, a second pass that assumes the conservative value for them
 * and refuses to scale if that flips the direction (replica_calculator.go).
 */
function calculate(
  input: CalcInput,
  ratioOf: (m: Map<string, PodMetric>) => UtilizationRatio,
  fillMissingOnScaleDown: (pod: string) => number,
): ReplicaProposal {
  const t = input.tolerances ?? DEFAULT_TOLERANCES;
  if (input.pods.length === 0) throw new ReplicaCalcError('no pods returned by selector while calculating replica count');
  const metrics = new Map(input.metrics);
  const known = new Set(input.pods.map((p) => p.metadata.name!));
  for (const name of [...metrics.keys()]) if (!known.has(name)) metrics.delete(name);
  const g = groupPods(input.pods, metrics, input.resource, input.now, input.readiness);
  for (const name of [...g.ignored, ...g.unready]) metrics.delete(name);
  if (metrics.size === 0) throw new ReplicaCalcError('did not receive metrics for targeted pods (pods might be unready)');
  const timestamp = newestTimestamp(metrics);
  const first = ratioOf(metrics);
  const current = input.currentReplicas;
  const scaleUpWithUnready = g.unready.size > 0 && first.ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (withinTolerance(first.ratio, t)) return { replicas: current, utilization: first.utilization, rawAverage: first.rawAverage, timestamp };
    return { replicas: Math.ceil(first.ratio * g.readyCount), utilization: first.utilization, rawAverage: first.rawAverage, timestamp };
  }
  if (g.missing.size > 0) {
    for (const name of g.missing) {
      if (first.ratio < 1) metrics.set(name, { value: fillMissingOnScaleDown(name), timestamp, windowMs: 0 });
      else if (first.ratio > 1) metrics.set(name, { value: 0, timestamp, windowMs: 0 });
    }
  }
  if (scaleUpWithUnready) for (const name of g.unready) metrics.set(name, { value: 0, timestamp, windowMs: 0 });
  const second = ratioOf(metrics);
  const keep = { replicas: current, utilization: first.utilization, rawAverage: first.rawAverage, timestamp };
  if (withinTolerance(second.ratio, t) || (first.ratio < 1 && second.ratio > 1) || (first.ratio > 1 && second.ratio < 1)) return keep;
  const replicas = Math.ceil(second.ratio * metrics.size);
  if ((second.ratio < 1 && replicas > current) || (second.ratio > 1 && replicas < current)) return keep;
  return { replicas, utilization: first.utilization, rawAverage: first.rawAverage, timestamp };
}

/** Target type Utilization: `ceil(ratio × pods)` with the tolerance and the missing/unready rules. */
export function resourceReplicas(input: CalcInput & { targetUtilization: number; requests: Map<string, number> }): ReplicaProposal {
  // Missing pods on a scale-down are assumed at max(100 %, target) of their request.
  const fallback = Math.max(100, input.targetUtilization);
  return calculate(
    input,
    (m) => resourceUtilizationRatio(m, input.requests, input.targetUtilization),
    (pod) => ((input.requests.get(pod) ?? 0) * fallback) / 100,
  );
}

/** Target type AverageValue: the same algorithm on the raw average per pod (milli-units). */
export function averageValueReplicas(input: CalcInput & { targetAverage: number }): ReplicaProposal {
  const ratioOf = (m: Map<string, PodMetric>): UtilizationRatio => {
    let sum = 0;
    for (const v of m.values()) sum += v.value;
    const avg = sum / m.size;
    return { ratio: avg / input.targetAverage, utilization: Math.trunc(avg), rawAverage: Math.trunc(avg) };
  };
  return calculate(input, ratioOf, () => input.targetAverage);
}
