import type { Deployment, ReplicaSet } from '../../kube/objects.ts';
import { isoTime } from '../../lib/clock.ts';
import { getCondition, removeCondition, setCondition, type Condition } from '../../lib/conditions.ts';
import { maxUnavailable } from './rollout-math.ts';
import { progressDeadlineSeconds, rolloutSpec, specReplicas } from './spec.ts';

/* Condition reasons of the deployment controller (deployment/util). */
export const NEW_RS_CREATED = 'NewReplicaSetCreated';
export const FOUND_NEW_RS = 'FoundNewReplicaSet';
export const RS_UPDATED = 'ReplicaSetUpdated';
export const NEW_RS_AVAILABLE = 'NewReplicaSetAvailable';
export const TIMED_OUT = 'ProgressDeadlineExceeded';
export const PAUSED = 'DeploymentPaused';
export const RESUMED = 'DeploymentResumed';
export const RS_CREATE_ERROR = 'ReplicaSetCreateError';

export function condition(type: string, status: Condition['status'], reason: string, message: string, nowMs: number): Condition {
  const t = isoTime(nowMs);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

type Counts = 'observedGeneration' | 'replicas' | 'updatedReplicas' | 'readyReplicas' | 'availableReplicas';
/** A status as calculateStatus writes it: every count set. */
export type DeploymentStatus = NonNullable<Deployment['status']> & Required<Pick<NonNullable<Deployment['status']>, Counts>>;

/** calculateStatus: counts summed over the ReplicaSets, plus the Available condition. */
export function calculateStatus(d: Deployment, all: ReplicaSet[], newRs: ReplicaSet | undefined, nowMs: number): DeploymentStatus {
  const available = all.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
  const total = all.reduce((n, rs) => n + specReplicas(rs), 0);
  const spec = rolloutSpec(d);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: all.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0),
    updatedReplicas: newRs?.status?.replicas ?? 0,
    readyReplicas: all.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  let conditions: Condition[] = [...(d.status?.conditions ?? [])];
  if (available >= spec.replicas - maxUnavailable(spec)) {
    conditions = setCondition(conditions, condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', nowMs));
  } else {
    conditions = setCondition(
      conditions,
      condition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', nowMs),
    );
  }
  status.conditions = conditions;
  return status;
}

/** DeploymentComplete: every replica updated and available, and the latest spec observed. */
export function deploymentComplete(d: Deployment, s: NonNullable<Deployment['status']>): boolean {
  const replicas = rolloutSpec(d).replicas;
  return (
    s.updatedReplicas === replicas &&
    s.replicas === replicas &&
    s.availableReplicas === replicas &&
    s.observedGeneration !== undefined &&
    s.observedGeneration >= (d.metadata.generation ?? 1)
  );
}

/** DeploymentProgressing: more updated, ready or available pods, or fewer old ones, than last time. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = s.replicas - s.updatedReplicas;
  return (
    s.updatedReplicas > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    s.readyReplicas > (old.readyReplicas ?? 0) ||
    s.availableReplicas > (old.availableReplicas ?? 0)
  );
}

/** DeploymentTimedOut: no progress for progressDeadlineSeconds since the Progressing condition last moved. */
export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, nowMs: number): boolean {
  const deadline = progressDeadlineSeconds(d);
  if (deadline === undefined) return false;
  const c = getCondition(s.conditions, 'Progressing');
  if (!c) return false;
  if (c.reason === NEW_RS_AVAILABLE) return false;
  if (c.reason === TIMED_OUT) return true;
  const from = Date.parse(c.lastUpdateTime ?? c.lastTransitionTime ?? '');
  return !Number.isNaN(from) && from + deadline * 1000 < nowMs;
}

/**
 * syncRolloutStatus: the status after a rollout step, with the Progressing condition moved
 * forward (progress seen, complete, or timed out) and ReplicaFailure copied from the ReplicaSets.
 */
export function rolloutStatus(d: Deployment, all: ReplicaSet[], newRs: ReplicaSet | undefined, nowMs: number): DeploymentStatus {
  const s = calculateStatus(d, all, newRs, nowMs);
  const hasDeadline = progressDeadlineSeconds(d) !== undefined;
  if (!hasDeadline) s.conditions = removeCondition(s.conditions, 'Progressing');
  const current = getCondition(d.status?.conditions, 'Progressing');
  const alreadyComplete = s.replicas === s.updatedReplicas && current?.reason === NEW_RS_AVAILABLE;
  if (hasDeadline && !alreadyComplete) {
    if (deploymentComplete(d, s)) {
      const msg = newRs ? `ReplicaSet "${newRs.metadata.name}" has successfully progressed.` : 'Deployment has successfully progressed.';
      s.conditions = setCondition(s.conditions, condition('Progressing', 'True', NEW_RS_AVAILABLE, msg, nowMs));
    } else if (deploymentProgressing(d, s)) {
      const msg = newRs ? `ReplicaSet "${newRs.metadata.name}" is progressing.` : 'Deployment is progressing.';
      // Progress refreshes lastUpdateTime even when the reason stays: that is what the deadline measures.
      const next = condition('Progressing', 'True', RS_UPDATED, msg, nowMs);
      if (current?.status === 'True') next.lastTransitionTime = current.lastTransitionTime;
      s.conditions = [...removeCondition(s.conditions, 'Progressing'), next];
    } else if (deploymentTimedOut(d, s, nowMs)) {
      const msg = newRs ? `ReplicaSet "${newRs.metadata.name}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`;
      s.conditions = setCondition(s.conditions, condition('Progressing', 'False', TIMED_OUT, msg, nowMs));
    }
  }
  const failure = replicaFailure(all, newRs);
  s.conditions = failure ? setCondition(s.conditions, failure) : removeCondition(s.conditions, 'ReplicaFailure');
  return s;
}

/** getReplicaFailures: the new ReplicaSet's failure first, else any old one's. */
function replicaFailure(all: ReplicaSet[], newRs: ReplicaSet | undefined): Condition | undefined {
  const ordered = newRs ? [newRs, ...all.filter((rs) => rs !== newRs)] : all;
  for (const rs of ordered) {
    const c = getCondition(rs.status?.conditions, 'ReplicaFailure');
    if (c?.status === 'True') return { ...c, lastUpdateTime: c.lastTransitionTime };
  }
  return undefined;
}

/** When a stuck rollout should be looked at again to flip Progressing to ProgressDeadlineExceeded. */
export function progressCheckAt(d: Deployment, s: DeploymentStatus): number | undefined {
  const deadline = progressDeadlineSeconds(d);
  if (deadline === undefined || deploymentComplete(d, s)) return undefined;
  const c = getCondition(s.conditions, 'Progressing');
  if (!c || c.reason === TIMED_OUT || c.reason === NEW_RS_AVAILABLE || c.status === 'Unknown') return undefined;
  const from = Date.parse(c.lastUpdateTime ?? c.lastTransitionTime ?? '');
  if (Number.isNaN(from)) return undefined;
  return from + deadline * 1000 + 1000;
}
