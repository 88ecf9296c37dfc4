import type { Pod } from '../../kube/objects.ts';
import type { VerticalPodAutoscaler } from '../../kube/admission/vpa/types.ts';
import type { KubeObject } from '../../kube/types.ts';
import { parseCpuMillis, parseQuantityInt } from '../../lib/quantity.ts';
import { containerPolicy, controlledResources } from '../../kube/admission/vpa/policy.ts';
import { updateModeOf } from '../../kube/admission/vpa/target.ts';

/** Updater flags (k8s-behavior §14.3). */
export const UPDATER = {
  intervalMs: 60_000,
  minReplicas: 2,
  evictionTolerance: 0.5,
  podLifetimeUpdateThresholdMs: 12 * 3_600_000,
  podUpdateThreshold: 0.1,
};

export interface EvictionCandidate {
  pod: KubeObject;
  /** Some request lies outside [lowerBound, upperBound]. */
  outsideBounds: boolean;
  /** Σ over resources of |target − request| / request (pod totals), as the updater ranks pods. */
  resourceDiff: number;
}

const q = (resource: string, v: unknown): number | undefined => {
  if (v === undefined || v === null) return undefined;
  try {
    return resource === 'cpu' ? parseCpuMillis(String(v)) : parseQuantityInt(String(v));
  } catch {
    return undefined;
  }
};

const live = (p: KubeObject) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp;

/** How one pod's requests compare with the recommendation. */
export function assessPod(vpa: VerticalPodAutoscaler, pod: Pod): EvictionCandidate {
  const recs = vpa.status?.recommendation?.containerRecommendations ?? [];
  let outsideBounds = false;
  const requested: Record<string, number> = {};
  const recommended: Record<string, number> = {};
  for (const c of pod.spec?.containers ?? []) {
    const rec = recs.find((r) => r.containerName === c.name);
    const policy = containerPolicy(vpa, c.name);
    if (!rec || policy.mode === 'Off') continue;
    for (const resource of controlledResources(policy)) {
      const target = q(resource, rec.target?.[resource]);
      if (target === undefined) continue;
      const request = q(resource, c.resources?.requests?.[resource]) ?? 0;
      const lower = q(resource, rec.lowerBound?.[resource]);
      const upper = q(resource, rec.upperBound?.[resource]);
      if ((lower !== undefined && request < lower) || (upper !== undefined && request > upper)) outsideBounds = true;
      requested[resource] = (requested[resource] ?? 0) + request;
      recommended[resource] = (recommended[resource] ?? 0) + target;
    }
  }
  let resourceDiff = 0;
  for (const [resource, target] of Object.entries(recommended)) {
    const request = Math.max(requested[resource], 1);
    resourceDiff += Math.abs(request - target) / request;
  }
  return { pod, outsideBounds, resourceDiff };
}

/**
 * The updater's choice for one VPA (Recreate/Auto): pods whose requests are outside the bounds, or
 * that lived 12 h and differ from the target by 10 %, most different first; none when fewer than
 * minReplicas pods are alive; at most as many as keep half of the replicas (at least one) running.
 */
export function podsToEvict(vpa: KubeObject, pods: KubeObject[], configuredReplicas: number | undefined, now: number): EvictionCandidate[] {
  const mode = updateModeOf(vpa);
  if (mode === 'Off' || mode === 'Initial') return [];
  if (!vpa.status?.recommendation?.containerRecommendations?.length) return [];
  const alive = pods.filter(live);
  const minReplicas = vpa.spec?.updatePolicy?.minReplicas ?? UPDATER.minReplicas;
  if (alive.length < minReplicas) return [];
  const configured = configuredReplicas ?? alive.length;
  const tolerated = Math.max(1, Math.floor(configured * UPDATER.evictionTolerance));
  const allowed = alive.length - (configured - tolerated);
  if (allowed <= 0) return [];
  const candidates = alive
    .map((p) => assessPod(vpa, p))
    .filter((c) => {
      if (c.outsideBounds) return true;
      const started = Date.parse(c.pod.status?.startTime ?? '') || now;
      return now - started >= UPDATER.podLifetimeUpdateThresholdMs && c.resourceDiff >= UPDATER.podUpdateThreshold;
    })
    .sort((a, b) => Number(b.outsideBounds) - Number(a.outsideBounds) || b.resourceDiff - a.resourceDiff);
  return candidates.slice(0, allowed);
}
