import type { IMetricSpec, IMetricStatus } from 'kubernetes-models/autoscaling/v2';
import type { KubeObject } from '../types.ts';

/**
 * autoscaling/v1 is served over the stored autoscaling/v2 object. v1 only knows a CPU target;
 * everything else travels in the annotations Kubernetes itself uses for the round trip, so a
 * v1 client's update does not lose v2-only fields.
 */
const METRICS = 'autoscaling.alpha.kubernetes.io/metrics';
const CURRENT_METRICS = 'autoscaling.alpha.kubernetes.io/current-metrics';
const BEHAVIOR = 'autoscaling.alpha.kubernetes.io/behavior';
const CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions';

const isCpuUtilization = (m: IMetricSpec) => m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.type === 'Utilization';

export function hpaV2ToV1(v2: KubeObject): KubeObject {
  const out = structuredClone(v2);
  out.apiVersion = 'autoscaling/v1';
  const annotations: Record<string, string> = { ...(out.metadata.annotations ?? {}) };
  const spec = v2.spec ?? {};
  const metrics: IMetricSpec[] = spec.metrics ?? [];
  const cpu = metrics.find(isCpuUtilization);
  const others = metrics.filter((m) => m !== cpu);
  out.spec = { scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas };
  if (cpu) out.spec.targetCPUUtilizationPercentage = cpu.resource!.target.averageUtilization;
  if (others.length) annotations[METRICS] = JSON.stringify(others);
  if (spec.behavior) annotations[BEHAVIOR] = JSON.stringify(spec.behavior);
  if (out.spec.minReplicas === undefined) delete out.spec.minReplicas;
  const st = v2.status ?? {};
  const currentCpu = (st.currentMetrics ?? []).find((m: IMetricStatus) => m?.type === 'Resource' && m.resource?.name === 'cpu');
  const otherCurrent = (st.currentMetrics ?? []).filter((m: IMetricStatus) => m !== currentCpu);
  out.status = { currentReplicas: st.currentReplicas ?? 0, desiredReplicas: st.desiredReplicas ?? 0 };
  if (st.observedGeneration !== undefined) out.status.observedGeneration = st.observedGeneration;
  if (st.lastScaleTime) out.status.lastScaleTime = st.lastScaleTime;
  if (currentCpu?.resource?.current?.averageUtilization !== undefined)
    out.status.currentCPUUtilizationPercentage = currentCpu.resource.current.averageUtilization;
  if (otherCurrent.length) annotations[CURRENT_METRICS] = JSON.stringify(otherCurrent);
  if (st.conditions?.length) annotations[CONDITIONS] = JSON.stringify(st.conditions);
  out.metadata.annotations = annotations;
  if (Object.keys(annotations).length === 0) delete out.metadata.annotations;
  return out;
}

/** An annotation's JSON, taken out of the map; what it holds is whatever a client wrote there. */
function takeJson(annotations: Record<string, string>, key: string): unknown {
  const raw = annotations[key];
  delete annotations[key];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export function hpaV1ToV2(v1: KubeObject): KubeObject {
  const out = structuredClone(v1);
  out.apiVersion = 'autoscaling/v2';
  const annotations: Record<string, string> = { ...(out.metadata.annotations ?? {}) };
  const spec = v1.spec ?? {};
  // The round-trip annotations are written by the v2 → v1 conversion and read back as they are.
  const others = (takeJson(annotations, METRICS) ?? []) as IMetricSpec[];
  const behavior = takeJson(annotations, BEHAVIOR);
  const metrics: IMetricSpec[] = [];
  if (typeof spec.targetCPUUtilizationPercentage === 'number') {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  }
  metrics.push(...others);
  out.spec = { scaleTargetRef: spec.scaleTargetRef, maxReplicas: spec.maxReplicas };
  if (spec.minReplicas !== undefined) out.spec.minReplicas = spec.minReplicas;
  if (metrics.length) out.spec.metrics = metrics;
  if (behavior) out.spec.behavior = behavior;
  const st = v1.status ?? {};
  const otherCurrent = (takeJson(annotations, CURRENT_METRICS) ?? []) as IMetricStatus[];
  const conditions = takeJson(annotations, CONDITIONS);
  const currentMetrics: IMetricStatus[] = [];
  if (typeof st.currentCPUUtilizationPercentage === 'number') {
    currentMetrics.push({ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: st.currentCPUUtilizationPercentage } } });
  }
  currentMetrics.push(...otherCurrent);
  out.status = { currentReplicas: st.currentReplicas ?? 0, desiredReplicas: st.desiredReplicas ?? 0 };
  if (st.observedGeneration !== undefined) out.status.observedGeneration = st.observedGeneration;
  if (st.lastScaleTime) out.status.lastScaleTime = st.lastScaleTime;
  if (currentMetrics.length) out.status.currentMetrics = currentMetrics;
  if (conditions) out.status.conditions = conditions;
  out.metadata.annotations = annotations;
  if (Object.keys(annotations).length === 0) delete out.metadata.annotations;
  return out;
}
