import type { KubeObject } from '../kube/types.ts';
import { claimRefMatches } from './matching.ts';
import type { StorageState } from './state.ts';

export const PV_PROTECTION = 'kubernetes.io/pv-protection';
export const PVC_PROTECTION = 'kubernetes.io/pvc-protection';
const PROVISIONER_FINALIZER = 'external-provisioner.volume.kubernetes.io/finalizer';

/**
 * The volume half of the PV controller: phases Available / Bound / Released follow the claims,
 * released volumes are reclaimed by their policy (Delete removes them and their disk, Retain keeps
 * them Released), and pv-protection keeps a Bound volume until it is released.
 */
export async function syncVolumes(s: StorageState): Promise<void> {
  const claims = new Map(s.claims.map((c) => [`${c.metadata.namespace}/${c.metadata.name}`, c]));
  for (const pv of s.volumes) {
    const ref = pv.spec?.claimRef;
    const claim = ref ? claims.get(`${ref.namespace ?? 'default'}/${ref.name}`) : undefined;
    const phase = pv.status?.phase;
    let wanted: string;
    if (!ref) wanted = 'Available';
    else if (claim && claimRefMatches(pv, claim)) wanted = ref.uid && claim.spec?.volumeName === pv.metadata.name ? 'Bound' : (phase ?? 'Available');
    else if (!ref.uid)
      wanted = 'Available'; // pre-bound by an admin, waiting for its claim
    else wanted = 'Released';

    if (pv.metadata.deletionTimestamp) {
      if (wanted !== 'Bound') await removeVolume(s, pv);
      continue;
    }
    if (wanted === 'Released' && pv.spec?.persistentVolumeReclaimPolicy !== 'Retain' && pv.spec?.persistentVolumeReclaimPolicy !== 'Recycle') {
      await removeVolume(s, pv);
      continue;
    }
    const next = structuredClone(pv);
    let changed = false;
    if (wanted === 'Released' && pv.spec?.persistentVolumeReclaimPolicy === 'Recycle') {
      delete next.spec.claimRef; // scrubbed and offered again
      wanted = 'Available';
    }
    if (phase !== wanted) {
      next.status = { ...(next.status ?? {}), phase: wanted };
      changed = true;
    }
    if (!(pv.metadata.finalizers ?? []).includes(PV_PROTECTION)) {
      next.metadata.finalizers = [...(pv.metadata.finalizers ?? []), PV_PROTECTION];
      changed = true;
    }
    if (changed) await s.write([{ op: 'update', resource: 'persistentvolumes', object: next }]);
  }
}

/** The volume and its backing disk go; billing for the disk stops in the same write. */
async function removeVolume(s: StorageState, pv: KubeObject): Promise<void> {
  await s.write([{ op: 'delete', resource: 'persistentvolumes', namespace: '', name: pv.metadata.name!, uid: pv.metadata.uid }]);
}

/**
 * pvc-protection: every claim carries the finalizer; a deleted claim stays Terminating while a pod
 * that is not finished still uses it, and goes once none does.
 */
export async function protectClaims(s: StorageState): Promise<void> {
  const deleting = s.claims.filter((c) => c.metadata.deletionTimestamp && (c.metadata.finalizers ?? []).includes(PVC_PROTECTION));
  const inUse = new Set<string>();
  if (deleting.length) {
    for (const p of await s.claimPods()) {
      if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
      for (const v of p.spec.volumes) if (v.persistentVolumeClaim) inUse.add(`${p.metadata.namespace}/${v.persistentVolumeClaim.claimName}`);
    }
  }
  for (const pvc of s.claims) {
    const finalizers = pvc.metadata.finalizers ?? [];
    if (!pvc.metadata.deletionTimestamp) {
      if (finalizers.includes(PVC_PROTECTION)) continue;
      const next = structuredClone(pvc);
      next.metadata.finalizers = [...finalizers, PVC_PROTECTION];
      await s.write([{ op: 'update', resource: 'persistentvolumeclaims', object: next }]);
      continue;
    }
    if (!finalizers.includes(PVC_PROTECTION) || inUse.has(`${pvc.metadata.namespace}/${pvc.metadata.name}`)) continue;
    const rest = finalizers.filter((f) => f !== PVC_PROTECTION);
    if (rest.length === 0) {
      await s.write([
        { op: 'delete', resource: 'persistentvolumeclaims', namespace: pvc.metadata.namespace ?? 'default', name: pvc.metadata.name!, uid: pvc.metadata.uid },
      ]);
    } else {
      const next = structuredClone(pvc);
      next.metadata.finalizers = rest;
      await s.write([{ op: 'update', resource: 'persistentvolumeclaims', object: next }]);
    }
  }
}

export const VOLUME_FINALIZERS = [PV_PROTECTION, PROVISIONER_FINALIZER];
