import type { KubeObject } from '../../kube/types.ts';
import { timestampMs } from '../shared/pod-state.ts';

/** Pod re-creation back-off after failures: 10 s doubling, capped at 10 min (k8s-behavior.md §6). */
export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 600_000;

/** When a pod finished: its containers' latest finishedAt, else when it was marked for deletion. */
export function podFinishedAt(pod: KubeObject): number {
  let latest: number | undefined;
  for (const s of [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])]) {
    const t = timestampMs(s.state?.terminated?.finishedAt);
    if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  }
  return latest ?? timestampMs(pod.metadata.deletionTimestamp) ?? timestampMs(pod.metadata.creationTimestamp) ?? 0;
}

export function backoffDelayMs(failuresAfterLastSuccess: number): number {
  if (failuresAfterLastSuccess <= 0) return 0;
  return Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** (failuresAfterLastSuccess - 1));
}

/**
 * The earliest time a new pod may be created (backoffRecord.getRemainingTime): failures after the
 * last success count, measured from the most recent failure. Undefined when there is no back-off.
 */
export function nextCreateAllowedAt(succeeded: KubeObject[], failed: KubeObject[]): number | undefined {
  const lastSuccess = succeeded.reduce((m, p) => Math.max(m, podFinishedAt(p)), -Infinity);
  const after = failed.map(podFinishedAt).filter((t) => t > lastSuccess);
  if (after.length === 0) return undefined;
  return Math.max(...after) + backoffDelayMs(after.length);
}
