import type { Pod } from '../../objects.ts';
import type { VerticalPodAutoscaler } from './types.ts';

export const VPA_RESOURCE = 'verticalpodautoscalers.autoscaling.k8s.io';

/** Store keys of the kinds a VPA may target. */
const TARGETS: Record<string, string> = {
  Deployment: 'deployments.apps',
  StatefulSet: 'statefulsets.apps',
  ReplicaSet: 'replicasets.apps',
  DaemonSet: 'daemonsets.apps',
  ReplicationController: 'replicationcontrollers',
  Job: 'jobs.batch',
};

export function targetResource(vpa: VerticalPodAutoscaler): string | undefined {
  return TARGETS[vpa.spec?.targetRef?.kind ?? ''];
}

/**
 * Whether the pod belongs to the VPA's target, by its controller: a Deployment's pods are owned by
 * its ReplicaSets (`<deployment>-<pod-template-hash>`), the other kinds own their pods directly.
 * Pure, so the admission path can use it without reading the target.
 */
export function vpaSelectsPod(vpa: VerticalPodAutoscaler, pod: Pod): boolean {
  const ref = vpa.spec?.targetRef;
  if (!ref?.kind || !ref.name) return false;
  if ((vpa.metadata.namespace ?? 'default') !== (pod.metadata.namespace ?? 'default')) return false;
  const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller);
  if (!owner) return false;
  if (ref.kind === 'Deployment') {
    const hash = pod.metadata.labels?.['pod-template-hash'];
    return owner.kind === 'ReplicaSet' && hash !== undefined && owner.name === `${ref.name}-${hash}`;
  }
  return owner.kind === ref.kind && owner.name === ref.name;
}

export type UpdateMode = 'Off' | 'Initial' | 'Recreate' | 'Auto' | 'InPlaceOrRecreate';

export function updateModeOf(vpa: VerticalPodAutoscaler): UpdateMode {
  const m = vpa.spec?.updatePolicy?.updateMode;
  return m === 'Off' || m === 'Initial' || m === 'Recreate' || m === 'InPlaceOrRecreate' ? m : 'Auto';
}
