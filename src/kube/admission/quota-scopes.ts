import { isBestEffort } from '../../lib/resources.ts';
import type { PodAffinityTerm, WeightedPodAffinityTerm } from '../objects.ts';
import type { KubeObject } from '../types.ts';

/**
 * ResourceQuota scopes (pkg/quota/v1/evaluator/core/pods.go): a scoped quota only counts the pods
 * its scopes select. `spec.scopes` are shorthand for `Exists` requirements; `spec.scopeSelector`
 * adds requirements of its own, and a pod must satisfy every one of them.
 */
export interface ScopeRequirement {
  scopeName: string;
  operator: string;
  values?: string[];
}

export const QUOTA_SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'];

/** Every requirement a quota puts on the objects it counts (none: it counts everything). */
export function quotaScopeRequirements(quota: KubeObject): ScopeRequirement[] {
  const out: ScopeRequirement[] = [];
  for (const scope of quota.spec?.scopes ?? []) out.push({ scopeName: String(scope), operator: 'Exists' });
  for (const req of quota.spec?.scopeSelector?.matchExpressions ?? []) out.push({ scopeName: req?.scopeName, operator: req?.operator, values: req?.values });
  return out;
}

/** A pod runs for a bounded time when it has activeDeadlineSeconds (the Terminating scope). */
const isTerminating = (pod: KubeObject) => typeof pod.spec?.activeDeadlineSeconds === 'number' && pod.spec.activeDeadlineSeconds >= 0;

/** Pod (anti-)affinity terms that look beyond the pod's own namespace. */
function usesCrossNamespaceAffinity(pod: KubeObject): boolean {
  const a = pod.spec?.affinity ?? {};
  for (const kind of [a.podAffinity, a.podAntiAffinity]) {
    const terms = [
      ...(kind?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
      ...(kind?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w: WeightedPodAffinityTerm) => w?.podAffinityTerm),
    ];
    if (
      terms.some(
        (t: PodAffinityTerm) =>
          (Array.isArray(t?.namespaces) && t.namespaces.length > 0) || (t?.namespaceSelector !== undefined && t?.namespaceSelector !== null),
      )
    )
      return true;
  }
  return false;
}

/** The PriorityClass scope is a label-selector-like match on the pod's priorityClassName. */
function priorityClassMatches(pod: KubeObject, req: ScopeRequirement): boolean {
  const name: string = pod.spec?.priorityClassName ?? '';
  const has = name !== '';
  const values = req.values ?? [];
  switch (req.operator) {
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'In':
      return has && values.includes(name);
    case 'NotIn':
      return !has || !values.includes(name);
    default:
      return false;
  }
}

export function podMatchesScope(pod: KubeObject, req: ScopeRequirement): boolean {
  switch (req.scopeName) {
    case 'Terminating':
      return isTerminating(pod);
    case 'NotTerminating':
      return !isTerminating(pod);
    case 'BestEffort':
      return isBestEffort(pod);
    case 'NotBestEffort':
      return !isBestEffort(pod);
    case 'PriorityClass':
      return priorityClassMatches(pod, req);
    case 'CrossNamespacePodAffinity':
      return usesCrossNamespaceAffinity(pod);
    default:
      return false;
  }
}

/**
 * Whether a quota counts this object at all: unscoped quotas count everything; scoped ones only
 * pods matching every requirement (other evaluators match no scope, as upstream's generic ones).
 */
export function quotaCovers(quota: KubeObject, resourceKey: string, obj: KubeObject): boolean {
  const reqs = quotaScopeRequirements(quota);
  if (reqs.length === 0) return true;
  if (resourceKey !== 'pods') return false;
  return reqs.every((r) => podMatchesScope(obj, r));
}
