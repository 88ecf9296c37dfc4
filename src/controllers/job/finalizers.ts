import type { KubeObject } from '../../kube/types.ts';
import type { WriteOp } from '../../store/objects.ts';
import { TRACKING_FINALIZER } from './spec.ts';

export const hasTrackingFinalizer = (pod: KubeObject) => (pod.metadata.finalizers ?? []).includes(TRACKING_FINALIZER);

/**
 * The write that takes the tracking finalizer off a counted pod: an update, or the removal itself
 * when nothing else holds a pod that is already being deleted without a grace period left to run.
 */
export function releasePodOp(pod: KubeObject): WriteOp {
  const rest = (pod.metadata.finalizers ?? []).filter((f) => f !== TRACKING_FINALIZER);
  if (rest.length === 0 && pod.metadata.deletionTimestamp && !pod.metadata.deletionGracePeriodSeconds) {
    return {
      op: 'delete',
      resource: 'pods',
      namespace: pod.metadata.namespace ?? '',
      name: pod.metadata.name!,
      uid: pod.metadata.uid,
      resourceVersion: pod.metadata.resourceVersion,
    };
  }
  const next = structuredClone(pod);
  if (rest.length) next.metadata.finalizers = rest;
  else delete next.metadata.finalizers;
  return { op: 'update', resource: 'pods', object: next };
}
