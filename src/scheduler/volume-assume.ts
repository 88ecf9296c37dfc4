import type { PersistentVolume, WithSpec } from '../kube/objects.ts';
import type { KubeObject } from '../kube/types.ts';
import type { WriteOp } from '../store/objects.ts';
import { SELECTED_NODE_ANNOTATION, canProvisionOn, findMatchingVolume, volumeBindingMode } from './plugins/volume-binding.ts';
import type { PodInfo, Snapshot } from './types.ts';

/** kube-scheduler gives up waiting for volumes to bind after this long and schedules the pod again. */
export const VOLUME_BIND_TIMEOUT_MS = 600_000;
/** How soon to look again at a pod whose volumes are being bound or provisioned. */
export const VOLUME_RECHECK_MS = 2_000;

function claimRefersTo(pv: KubeObject, pvc: KubeObject): boolean {
  const ref = pv.spec?.claimRef;
  return Boolean(ref) && ref.name === pvc.metadata.name && (ref.namespace ?? 'default') === (pvc.metadata.namespace ?? 'default');
}

/** The pod's WaitForFirstConsumer claims that are not bound yet. */
function delayedClaims(pod: PodInfo, snapshot: Snapshot): KubeObject[] {
  const out: KubeObject[] = [];
  for (const key of pod.claims) {
    const pvc = snapshot.pvcs.get(key);
    if (pvc && !pvc.spec?.volumeName && volumeBindingMode(pvc, snapshot).mode === 'WaitForFirstConsumer') out.push(pvc);
  }
  return out;
}

/**
 * A claim of the pod is already promised to a volume (a PV's claimRef names it) or to a node for
 * provisioning (selected-node annotation): the PV controller or provisioner has yet to finish.
 */
export function volumesInProgress(pod: PodInfo, snapshot: Snapshot): boolean {
  for (const pvc of delayedClaims(pod, snapshot)) {
    if (pvc.metadata.annotations?.[SELECTED_NODE_ANNOTATION]) return true;
    for (const pv of snapshot.pvs.values()) if (claimRefersTo(pv, pvc)) return true;
  }
  return false;
}

/**
 * What the scheduler writes before binding a pod whose delayed claims are unbound: a matching PV
 * gets the claim in its claimRef (static binding), otherwise the claim is annotated with the node
 * so the provisioner creates a volume there. The pod is bound once its claims are.
 */
export function assumeVolumes(pod: PodInfo, nodeName: string, snapshot: Snapshot): WriteOp[] {
  const node = snapshot.nodeMap.get(nodeName);
  if (!node) return [];
  const ops: WriteOp[] = [];
  for (const pvc of delayedClaims(pod, snapshot)) {
    const pv = findMatchingVolume(pvc, node, snapshot);
    if (pv) {
      const next = structuredClone(pv) as WithSpec<PersistentVolume>; // validation requires a PV's spec
      next.spec.claimRef = {
        kind: 'PersistentVolumeClaim',
        apiVersion: 'v1',
        namespace: pvc.metadata.namespace,
        name: pvc.metadata.name,
        uid: pvc.metadata.uid,
        resourceVersion: pvc.metadata.resourceVersion,
      };
      next.metadata.annotations = { ...(next.metadata.annotations ?? {}), 'pv.kubernetes.io/bound-by-controller': 'yes' };
      ops.push({ op: 'update', resource: 'persistentvolumes', object: next });
      snapshot.pvs.set(pv.metadata.name ?? '', next);
    } else if (canProvisionOn(volumeBindingMode(pvc, snapshot).storageClass, node)) {
      const next = structuredClone(pvc);
      next.metadata.annotations = { ...(next.metadata.annotations ?? {}), [SELECTED_NODE_ANNOTATION]: nodeName };
      ops.push({ op: 'update', resource: 'persistentvolumeclaims', object: next });
    }
  }
  return ops;
}
