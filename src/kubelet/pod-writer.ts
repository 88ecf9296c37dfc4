import type { KubeObject } from '../kube/types.ts';
import type { WriteOp } from '../store/objects.ts';

/** The kubelet's writes as ops for `Pass.commit`: guarded by the version the kubelet read, so a pod changed meanwhile is a lost race. */

export function updateOp(resource: string, object: KubeObject): WriteOp {
  return { op: 'update', resource, object };
}

/** The kubelet's final delete of a pod it stopped (grace 0), only if it is still the same pod version. */
export function finalDeleteOp(pod: KubeObject): WriteOp {
  return {
    op: 'delete',
    resource: 'pods',
    namespace: pod.metadata.namespace ?? 'default',
    name: pod.metadata.name!,
    uid: pod.metadata.uid,
    resourceVersion: pod.metadata.resourceVersion,
  };
}
