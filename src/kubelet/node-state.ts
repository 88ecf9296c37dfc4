import type { KubeObject } from '../kube/types.ts';

/** Set on a node by `failNode`: its kubelet is down (no heartbeats, no pod updates). */
export const FAILED_ANNOTATION = 'kates.dev/failed';

export function isNodeFailed(node: KubeObject): boolean {
  return node.metadata.annotations?.[FAILED_ANNOTATION] !== undefined;
}

/** A node whose kubelet runs pods: it exists, has a pod CIDR and has not been failed. */
export function kubeletRuns(node: KubeObject | undefined): node is KubeObject {
  return Boolean(node && node.spec?.podCIDR && !isNodeFailed(node));
}
