import type { Pod, StatefulSet } from '../../kube/objects.ts';
import { isPodAvailable, isPodRunningAndReady } from '../shared/pod-state.ts';
import { podRevision } from './identity.ts';
import type { SetRevisions } from './revisions.ts';

/**
 * StatefulSet status from its pods (computeReplicaStatus), with completeRollingUpdate: once every
 * pod is updated and ready, the update revision becomes the current one.
 */
export function statefulSetStatus(set: StatefulSet, pods: Pod[], revs: SetRevisions, nowMs: number): Record<string, unknown> {
  const minReady = set.spec?.minReadySeconds ?? 0;
  let replicas = 0;
  let ready = 0;
  let available = 0;
  let current = 0;
  let updated = 0;
  for (const pod of pods) {
    const created = Boolean(pod.status?.phase);
    if (created) replicas++;
    if (isPodRunningAndReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, nowMs)) available++;
    }
    if (created && !pod.metadata.deletionTimestamp) {
      if (podRevision(pod) === revs.current.metadata.name) current++;
      if (podRevision(pod) === revs.update.metadata.name) updated++;
    }
  }
  const status: Record<string, unknown> = {
    observedGeneration: set.metadata.generation ?? 1,
    replicas,
    readyReplicas: ready,
    currentReplicas: current,
    updatedReplicas: updated,
    availableReplicas: available,
    currentRevision: revs.current.metadata.name,
    updateRevision: revs.update.metadata.name,
    collisionCount: revs.collisionCount,
  };
  const rolling = (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  if (rolling && updated === replicas && ready === replicas) {
    status.currentReplicas = updated;
    status.currentRevision = revs.update.metadata.name;
  }
  return status;
}
