import type { Deployment, ReplicaSet } from '../../kube/objects.ts';
import { timestampMs } from '../shared/pod-state.ts';
import { maxReplicasAnnotation } from './annotations.ts';
import type { RolloutSpec, RsView } from './rollout-math.ts';

const MAX_INT32 = 2147483647;

/** The Deployment's rollout parameters with apps/v1 defaults (the API may not have applied them). */
export function rolloutSpec(d: Deployment): RolloutSpec {
  const strategy = d.spec?.strategy ?? {};
  return {
    replicas: d.spec?.replicas ?? 1,
    type: strategy.type === 'Recreate' ? 'Recreate' : 'RollingUpdate',
    maxSurge: strategy.rollingUpdate?.maxSurge,
    maxUnavailable: strategy.rollingUpdate?.maxUnavailable,
  };
}

/** progressDeadlineSeconds (default 600); undefined when the Deployment has no deadline. */
export function progressDeadlineSeconds(d: Deployment): number | undefined {
  const v = d.spec?.progressDeadlineSeconds ?? 600;
  return v === MAX_INT32 ? undefined : v;
}

export function revisionHistoryLimit(d: Deployment): number {
  return d.spec?.revisionHistoryLimit ?? 10;
}

export function rsView(rs: ReplicaSet): RsView {
  return {
    name: rs.metadata.name!,
    replicas: rs.spec?.replicas ?? 0,
    available: rs.status?.availableReplicas ?? 0,
    createdMs: timestampMs(rs.metadata.creationTimestamp) ?? 0,
    maxReplicas: maxReplicasAnnotation(rs),
  };
}

export function specReplicas(rs: ReplicaSet | undefined): number {
  return rs?.spec?.replicas ?? 0;
}
