/** Why a node group was put in back-off (what the status ConfigMap shows under `backoffInfo`). */
export interface ScaleUpError {
  /** cluster-autoscaler's instance error class: capacity and quota errors are `OutOfResource`. */
  errorClass: 'OutOfResource' | 'Other';
  errorCode: string;
  errorMessage: string;
}

/** One node group's back-off, as cluster-autoscaler's exponential back-off keeps it per group id. */
export interface GroupBackoff extends ScaleUpError {
  durationMs: number;
  until: number;
  lastFailedAt: number;
}

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** A group whose last failure is older than this starts again from the initial duration. */
  resetMs: number;
}

/**
 * The back-off after one more failed scale-up of a group (upstream `exponentialBackoff.Backoff`):
 * the first failure backs off `initialMs`; a failure after the previous back-off ended doubles it
 * (capped at `maxMs`); failures while still backed off (several requests failing together) renew
 * the window without growing it.
 */
export function nextBackoff(previous: GroupBackoff | undefined, error: ScaleUpError, now: number, policy: BackoffPolicy): GroupBackoff {
  let durationMs = policy.initialMs;
  if (previous) {
    durationMs = previous.durationMs;
    if (previous.until < now) durationMs = Math.min(2 * previous.durationMs, policy.maxMs);
  }
  return { ...error, durationMs, until: now + durationMs, lastFailedAt: now };
}

export function isBackedOff(entry: GroupBackoff | undefined, now: number): boolean {
  return entry !== undefined && entry.until > now;
}

/** Forgets groups that have not failed for `resetMs` (upstream `RemoveStaleBackoffData`). */
export function dropStaleBackoffs(backoffs: Record<string, GroupBackoff>, now: number, policy: BackoffPolicy): void {
  for (const [group, b] of Object.entries(backoffs)) if (b.lastFailedAt + policy.resetMs < now) delete backoffs[group];
}
