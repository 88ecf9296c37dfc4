import type { Controller, ReconcileContext, ReconcileResult } from '../controllers/runtime.ts';
import { Pass } from '../controllers/shared/pass.ts';
import { STORAGE_CLASS_RESOURCE } from './classes.ts';
import { syncClaims } from './claims.ts';
import { loadStorageState } from './state.ts';
import { protectClaims, syncVolumes } from './volumes.ts';

/**
 * The persistent volume controller with the provisioners and protection controllers of a cluster:
 * claims are bound to the smallest fitting volume or get a new one from their class (at once, or
 * in the selected node's zone for WaitForFirstConsumer), volumes follow their claims through
 * Bound and Released to their reclaim policy, and in-use claims are protected from deletion.
 */
export const persistentVolumeController: Controller = {
  name: 'persistentvolume',
  watches: ['persistentvolumeclaims', 'persistentvolumes', STORAGE_CLASS_RESOURCE, 'pods'],
  async reconcile(ctx: ReconcileContext): Promise<ReconcileResult> {
    const pass = new Pass(ctx, 'persistentvolume-controller');
    let state = await loadStorageState(pass);
    if (state.claims.length === 0 && state.volumes.length === 0) return pass.result();
    await protectClaims(state);
    await syncClaims(state);
    // Volumes are judged on the claims as they are now (a claim may have just been bound or deleted).
    state = await loadStorageState(pass);
    await syncVolumes(state);
    return pass.result();
  },
};
