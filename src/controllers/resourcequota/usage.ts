import type { KubeObject } from '../../kube/types.ts';
import { podHoldsQuota, quotaKeyResource, usageOf } from '../../kube/admission/quota.ts';
import { quotaCovers } from '../../kube/admission/quota-scopes.ts';
import { formatQuantity } from '../../kube/quantity.ts';

export interface QuotaStatus {
  hard: Record<string, string>;
  used: Record<string, string>;
}

/** Which resources a quota's hard keys count, each with its keys (e.g. pods → [pods, requests.cpu]). */
export function trackedResources(hard: Record<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const key of Object.keys(hard)) {
    const resource = quotaKeyResource(key);
    if (!resource) continue;
    out.set(resource, [...(out.get(resource) ?? []), key]);
  }
  return out;
}

/**
 * A quota's status from the objects of its namespace now: `hard` mirrors the spec and `used` sums
 * what each object its scopes cover counts, with the same per-object rule the API's quota admission charges
 * (usageOf), so finished pods, deleted objects and lost nodes' pods give their share back. Keys no
 * evaluator knows keep their last value, as upstream's controller does.
 */
export function quotaStatus(quota: KubeObject, objectsOf: (resource: string) => KubeObject[], nowMs: number): QuotaStatus {
  const hard: Record<string, string> = { ...(quota.spec?.hard ?? {}) };
  const previous: Record<string, string> = quota.status?.used ?? {};
  const used: Record<string, string> = {};
  for (const key of Object.keys(hard)) if (!quotaKeyResource(key) && previous[key] !== undefined) used[key] = previous[key];
  for (const [resource, keys] of trackedResources(hard)) {
    const sums: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
    for (const obj of objectsOf(resource)) {
      if (!quotaCovers(quota, resource, obj)) continue;
      const u = usageOf(resource, obj, nowMs);
      for (const k of keys) sums[k] += u[k] ?? 0;
    }
    for (const k of keys) used[k] = formatQuantity(sums[k]);
  }
  return { hard, used };
}

/** When the next pod of these stops holding quota by outliving its deletion grace (a timer). */
export function nextGraceExpiry(pods: KubeObject[], nowMs: number): number | undefined {
  let next: number | undefined;
  for (const pod of pods) {
    const grace = pod.metadata.deletionGracePeriodSeconds;
    if (!pod.metadata.deletionTimestamp || typeof grace !== 'number' || !podHoldsQuota(pod, nowMs)) continue;
    // Upstream waits for deletionTimestamp + grace, and a pod stops counting only once past it.
    const at = Date.parse(pod.metadata.deletionTimestamp) + grace * 1000 + 1;
    if (!Number.isNaN(at) && (next === undefined || at < next)) next = at;
  }
  return next;
}
