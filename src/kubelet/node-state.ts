import type { KubeObject } from '../kube/types.ts';
import { FAILED_ANNOTATION, isNodeFailed } from '../kube/registry/node-heartbeat-view.ts';

/** The failed mark is read by the API's heartbeat view too, so it is defined there. */
export { FAILED_ANNOTATION, isNodeFailed };

/** A node whose kubelet runs pods: it exists, has a pod CIDR and has not been failed. */
export function kubeletRuns(node: KubeObject | undefined): node is KubeObject {
  return Boolean(node && node.spec?.podCIDR && !isNodeFailed(node));
}
