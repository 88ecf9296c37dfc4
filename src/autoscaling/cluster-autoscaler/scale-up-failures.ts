import { dropStaleBackoffs, nextBackoff, type BackoffPolicy, type ScaleUpError } from './backoff.ts';
import type { DecisionEvent } from './events-log.ts';
import type { NodeGroupProvider } from './provider.ts';
import type { CaState } from './state.ts';

/** Go's time.Duration text ("15m10s", "1h0m0s"), which upstream prints in these messages. */
export function goDuration(ms: number): string {
  if (ms <= 0) return '0s';
  let rest = ms / 1000;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  rest -= m * 60;
  const s = Number(rest.toFixed(3)).toString();
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

/** Puts a group in back-off and says so in the decisions log. */
export function backOffGroup(state: CaState, group: string, error: ScaleUpError, now: number, policy: BackoffPolicy, log: DecisionEvent[]): void {
  const b = nextBackoff(state.backoff[group], error, now, policy);
  state.backoff[group] = b;
  log.push({
    type: 'Warning',
    reason: 'NodeGroupBackoff',
    message: `Disabling scale-up for node group ${group} until ${new Date(b.until).toISOString()}; errorClass=${error.errorClass}; errorCode=${error.errorCode}`,
  });
}

/**
 * The failure half of upstream's cluster state update, run at the start of a loop: instances the
 * provider reported as failed, and scale-ups whose nodes did not register within
 * `maxProvisionMs`, are given up. Their group backs off, its target size drops by the lost
 * instances (never below its minimum), and `ScaleUpFailed` / `ScaleUpTimedOut` /
 * `DeleteUnregistered` are logged. Returns whether a pool's target changed.
 */
export async function handleFailedScaleUps(
  provider: NodeGroupProvider,
  state: CaState,
  now: number,
  maxProvisionMs: number,
  policy: BackoffPolicy,
  log: DecisionEvent[],
): Promise<boolean> {
  dropStaleBackoffs(state.backoff, now, policy);
  const lost = new Map<string, number>();
  const keep: CaState['provisioning'] = [];
  for (const p of state.provisioning) {
    if (p.error && now > p.requestedAt) {
      log.push({
        type: 'Warning',
        reason: 'ScaleUpFailed',
        message: `Failed adding ${p.count} nodes to group ${p.group} due to ${p.error.errorClass}.${p.error.errorCode}; source errors: ${p.error.errorMessage}`,
      });
      backOffGroup(state, p.group, p.error, now, policy, log);
      lost.set(p.group, (lost.get(p.group) ?? 0) + p.count);
      continue;
    }
    if (now > p.requestedAt + maxProvisionMs) {
      const after = goDuration(now - p.requestedAt);
      log.push({ type: 'Warning', reason: 'ScaleUpTimedOut', message: `Nodes added to group ${p.group} failed to register within ${after}` });
      backOffGroup(
        state,
        p.group,
        { errorClass: 'Other', errorCode: 'timeout', errorMessage: `Scale-up timed out for node group ${p.group} after ${after}` },
        now,
        policy,
        log,
      );
      for (let i = 0; i < p.count; i++)
        log.push({ type: 'Normal', reason: 'DeleteUnregistered', message: `Removed unregistered node ${unregisteredName(p.group, p.requestedAt, i)}` });
      lost.set(p.group, (lost.get(p.group) ?? 0) + p.count);
      continue;
    }
    keep.push(p);
  }
  state.provisioning = keep;
  if (lost.size === 0) return false;
  await provider.shrink(lost);
  return true;
}

/** A name for an instance that never became a Node (upstream names the cloud instance). */
function unregisteredName(group: string, requestedAt: number, i: number): string {
  return `${group}-${Math.floor(requestedAt / 1000).toString(36)}-${i}`;
}
