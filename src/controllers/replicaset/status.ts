import type { KubeObject } from '../../kube/types.ts';
import type { Pod, ReplicaSetLike } from '../../kube/objects.ts';
import { canonicalJson } from '../shared/canonical.ts';
import { removeCondition, setCondition, type Condition } from '../../lib/conditions.ts';
import { isPodAvailable, isPodReady } from '../shared/pod-state.ts';
import { isoTime } from '../../lib/clock.ts';

/**
 * ReplicaSet status from its active pods (replica_set_utils.calculateStatus). `createError`, when
 * set, becomes the ReplicaFailure condition (reason FailedCreate); no error removes it.
 */
export function replicaSetStatus(rs: ReplicaSetLike, activePods: Pod[], nowMs: number, createError?: string): Record<string, unknown> {
  const templateLabels: Record<string, string> = rs.spec?.template?.metadata?.labels ?? {};
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of activePods) {
    const labels = pod.metadata.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(pod)) ready++;
    if (isPodAvailable(pod, minReady, nowMs)) available++;
  }
  let conditions: Condition[] = rs.status?.conditions ?? [];
  if (createError) {
    conditions = setCondition(conditions, {
      type: 'ReplicaFailure',
      status: 'True',
      reason: 'FailedCreate',
      message: createError,
      lastTransitionTime: isoTime(nowMs),
    });
  } else {
    conditions = removeCondition(conditions, 'ReplicaFailure');
  }
  const status: Record<string, unknown> = {
    replicas: activePods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata.generation ?? 1,
  };
  if (conditions.length) status.conditions = conditions;
  return status;
}

export function statusChanged(obj: KubeObject, status: Record<string, unknown>): boolean {
  return canonicalJson(obj.status ?? {}) !== canonicalJson(status);
}
