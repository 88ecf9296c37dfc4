import type { Pod } from '../../kube/objects.ts';
import { podHoldsQuota } from '../../kube/admission/quota.ts';

/** When the next pod of these stops holding quota by outliving its deletion grace (a timer). */
export function nextGraceExpiry(pods: Pod[], nowMs: number): number | undefined {
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
