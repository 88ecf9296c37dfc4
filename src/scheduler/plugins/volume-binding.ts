import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../kube/objects.ts';
import { parseQuantityInt } from '../../lib/quantity.ts';
import { compileLabelSelector } from '../../kube/selectors/labels.ts';
import { compileNodeSelectorTerms } from '../../kube/selectors/node-selector.ts';
import { unresolvable, type FilterPlugin } from '../plugin.ts';
import type { NodeInfo, Snapshot } from '../types.ts';

export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';
const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

interface ClaimsState {
  bound: PersistentVolume[];
  /** WaitForFirstConsumer claims still unbound, with their class. */
  delayed: { pvc: PersistentVolumeClaim; storageClass?: StorageClass }[];
}

const KEY = 'VolumeBinding/claims';

export function volumeBindingMode(pvc: PersistentVolumeClaim, snapshot: Snapshot): { mode: string; storageClass?: StorageClass } {
  const className = pvc.spec?.storageClassName;
  const storageClass = className ? snapshot.storageClasses.get(className) : undefined;
  return { mode: storageClass?.volumeBindingMode === 'WaitForFirstConsumer' ? 'WaitForFirstConsumer' : 'Immediate', storageClass };
}

/** A PV's required node affinity admits the node (no affinity admits every node). */
export function pvFitsNode(pv: PersistentVolume, node: NodeInfo): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  if (!Array.isArray(terms)) return true;
  return compileNodeSelectorTerms(terms)(node);
}

/** An Available (or pre-bound) PV that could be bound to `pvc` on `node`; the smallest that fits, as the PV controller picks. */
export function findMatchingVolume(pvc: PersistentVolumeClaim, node: NodeInfo, snapshot: Snapshot): PersistentVolume | undefined {
  const want = parseQuantityInt(pvc.spec?.resources?.requests?.storage ?? '0');
  const modes: string[] = pvc.spec?.accessModes ?? [];
  const className = pvc.spec?.storageClassName ?? '';
  let best: PersistentVolume | undefined;
  let bestSize = Infinity;
  const selector = pvc.spec?.selector ? compileLabelSelector(pvc.spec.selector) : undefined;
  for (const pv of snapshot.pvs.values()) {
    if (pv.metadata.deletionTimestamp) continue;
    const ref = pv.spec?.claimRef;
    if (ref && (ref.name !== pvc.metadata.name || (ref.namespace ?? 'default') !== (pvc.metadata.namespace ?? 'default'))) continue;
    if (selector && !selector(pv.metadata.labels)) continue;
    if ((pv.spec?.storageClassName ?? '') !== className) continue;
    if ((pv.spec?.volumeMode ?? 'Filesystem') !== (pvc.spec?.volumeMode ?? 'Filesystem')) continue;
    const pvModes: string[] = pv.spec?.accessModes ?? [];
    if (!modes.every((m) => pvModes.includes(m))) continue;
    const size = parseQuantityInt(pv.spec?.capacity?.storage ?? '0');
    if (size < want || !pvFitsNode(pv, node)) continue;
    if (size < bestSize) {
      best = pv;
      bestSize = size;
    }
  }
  return best;
}

/** A class can provision on a node unless it has no provisioner or its allowedTopologies exclude the node. */
export function canProvisionOn(storageClass: StorageClass | undefined, node: NodeInfo): boolean {
  if (!storageClass?.provisioner || storageClass.provisioner === NO_PROVISIONER) return false;
  const topologies = storageClass.allowedTopologies ?? [];
  if (topologies.length === 0) return true;
  return topologies.some((t) => (t?.matchLabelExpressions ?? []).every((e) => (e.values ?? []).includes(node.labels[e.key])));
}

/**
 * PVC checks. PreFilter: every claim must exist, and an Immediate claim must already be bound.
 * Filter: a bound PV's node affinity must admit the node; a WaitForFirstConsumer claim needs a
 * matching Available PV on the node or a class able to provision there.
 */
export const volumeBinding: FilterPlugin = {
  name: 'VolumeBinding',
  preFilter(state, pod, snapshot) {
    if (pod.claims.length === 0) return 'skip';
    const s: ClaimsState = { bound: [], delayed: [] };
    let unboundImmediate = false;
    for (const key of pod.claims) {
      const pvc = snapshot.pvcs.get(key);
      const name = key.slice(key.indexOf('/') + 1);
      if (!pvc) return unresolvable(`persistentvolumeclaim "${name}" not found`);
      if (pvc.metadata.deletionTimestamp) return unresolvable(`persistentvolumeclaim "${name}" is being deleted`);
      const volumeName = pvc.spec?.volumeName;
      if (volumeName) {
        const pv = snapshot.pvs.get(volumeName);
        if (!pv) return unresolvable(`persistentvolume "${volumeName}" not found`);
        s.bound.push(pv);
        continue;
      }
      const { mode, storageClass } = volumeBindingMode(pvc, snapshot);
      if (mode === 'WaitForFirstConsumer') s.delayed.push({ pvc, storageClass });
      else unboundImmediate = true;
    }
    if (unboundImmediate) return unresolvable('pod has unbound immediate PersistentVolumeClaims');
    state.write(KEY, s);
  },
  filter(state, _pod, node, snapshot) {
    const s = state.read<ClaimsState>(KEY);
    if (!s) return null;
    for (const pv of s.bound) if (!pvFitsNode(pv, node)) return unresolvable('node(s) had volume node affinity conflict');
    for (const { pvc, storageClass } of s.delayed) {
      if (findMatchingVolume(pvc, node, snapshot)) continue;
      if (!canProvisionOn(storageClass, node)) return unresolvable("node(s) didn't find available persistent volumes to bind");
    }
    return null;
  },
};
