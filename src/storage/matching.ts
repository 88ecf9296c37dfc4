import type { KubeObject } from '../kube/types.ts';
import { parseQuantityInt } from '../lib/quantity.ts';
import { compileLabelSelector } from '../kube/selectors/labels.ts';
import { compileNodeSelectorTerms, type NodeLabels } from '../kube/selectors/node-selector.ts';

/** The PV lists every mode the claim asks for. */
export function accessModesContain(pvModes: string[] | undefined, wanted: string[] | undefined): boolean {
  return (wanted ?? []).every((m) => (pvModes ?? []).includes(m));
}

export function claimRequestBytes(pvc: KubeObject): number {
  return quantityBytes(pvc.spec?.resources?.requests?.storage);
}

export function volumeBytes(pv: KubeObject): number {
  return quantityBytes(pv.spec?.capacity?.storage);
}

function quantityBytes(q: unknown): number {
  try {
    return typeof q === 'string' || typeof q === 'number' ? parseQuantityInt(q) : 0;
  } catch {
    return 0;
  }
}

/** A PV's required node affinity admits the node (no affinity admits every node). */
export function volumeFitsNode(pv: KubeObject, node: KubeObject | undefined): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  if (!Array.isArray(terms) || !node) return true;
  return compileNodeSelectorTerms(terms)({ name: node.metadata.name, labels: node.metadata.labels ?? {} } as NodeLabels);
}

/** The PV's claimRef names this claim (by namespace and name, and uid when the ref has one). */
export function claimRefMatches(pv: KubeObject, pvc: KubeObject): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== pvc.metadata.name || (ref.namespace ?? 'default') !== (pvc.metadata.namespace ?? 'default')) return false;
  return !ref.uid || ref.uid === pvc.metadata.uid;
}

/**
 * The PV the controller binds an unbound claim to (k8s-behavior §12): a PV pre-bound to it first;
 * otherwise among Available PVs without a claimRef, those with the same class and volume mode,
 * matching the claim's selector, offering every requested access mode and at least the requested
 * capacity (and, when a node was selected, reachable from it) — the smallest of them.
 */
export function findBestVolume(pvc: KubeObject, pvs: KubeObject[], selectedNode?: KubeObject): KubeObject | undefined {
  const usable = (pv: KubeObject) =>
    !pv.metadata.deletionTimestamp &&
    (pv.spec?.storageClassName ?? '') === (pvc.spec?.storageClassName ?? '') &&
    (pv.spec?.volumeMode ?? 'Filesystem') === (pvc.spec?.volumeMode ?? 'Filesystem') &&
    accessModesContain(pv.spec?.accessModes, pvc.spec?.accessModes) &&
    volumeBytes(pv) >= claimRequestBytes(pvc) &&
    volumeFitsNode(pv, selectedNode);
  const preBound = pvs.find((pv) => claimRefMatches(pv, pvc) && usable(pv));
  if (preBound) return preBound;
  const selector = pvc.spec?.selector ? compileLabelSelector(pvc.spec.selector) : undefined;
  let best: KubeObject | undefined;
  for (const pv of pvs) {
    if (pv.spec?.claimRef || pv.status?.phase === 'Released' || pv.status?.phase === 'Failed') continue;
    if (selector && !selector(pv.metadata.labels ?? {})) continue;
    if (!usable(pv)) continue;
    if (!best || volumeBytes(pv) < volumeBytes(best)) best = pv;
  }
  return best;
}
