import { asKinds, type CustomResourceDefinition } from '../../kube/objects.ts';
import { deletionOp, removeFinalizer } from '../../kube/deletion.ts';
import { CRD_CLEANUP_FINALIZER } from '../../kube/crd/definition.ts';
import { CRD_RESOURCE } from '../../kube/crd/custom-resources.ts';
import type { Controller } from '../runtime.ts';
import { Pass } from '../shared/pass.ts';
import { setCondition } from '../../lib/conditions.ts';
import { isoTime } from '../../lib/clock.ts';

/** How soon to look again while objects with finalizers of their own are still going. */
const RECHECK_MS = 2_000;

/**
 * The CRD finalizer controller: a deleted CustomResourceDefinition first deletes every object of
 * its kind (as `DELETE` would, so their own finalizers are honoured), then drops its
 * `customresourcecleanup` finalizer, and the CRD goes.
 */
export const crdCleanupController: Controller = {
  name: 'crd-cleanup',
  watches: [CRD_RESOURCE],
  async reconcile(ctx) {
    const pass = new Pass(ctx, 'apiextensions-controller');
    const crds = asKinds(CRD_RESOURCE, (await ctx.store.list(ctx.clusterId, CRD_RESOURCE)).items);
    for (const crd of crds) {
      if (pass.exhausted) break;
      if (!crd.metadata.deletionTimestamp || !(crd.metadata.finalizers ?? []).includes(CRD_CLEANUP_FINALIZER)) continue;
      await cleanUp(pass, crd);
    }
    return pass.result();
  },
};

/** Upstream's Terminating condition, shown while the CRD's objects are being deleted. */
async function markTerminating(pass: Pass, crd: CustomResourceDefinition): Promise<CustomResourceDefinition | undefined> {
  const conditions = setCondition(crd.status?.conditions, {
    type: 'Terminating',
    status: 'True',
    reason: 'InstanceDeletionInProgress',
    message: 'CustomResource deletion is in progress',
    lastTransitionTime: isoTime(pass.nowMs),
  });
  if (conditions === crd.status?.conditions) return crd;
  return pass.attempt(() => pass.store.update(pass.clusterId, CRD_RESOURCE, { ...crd, status: { ...(crd.status ?? {}), conditions } }));
}

async function cleanUp(pass: Pass, current: CustomResourceDefinition): Promise<void> {
  const crd = await markTerminating(pass, current);
  if (!crd) return;
  const key = `${crd.spec?.names?.plural}.${crd.spec?.group}`;
  const items = (await pass.store.list(pass.clusterId, key)).items;
  const live = items.filter((o) => !o.metadata.deletionTimestamp).slice(0, pass.budgetLeft);
  const results = await pass.commit(live.map((o) => deletionOp(key, o, {}, pass.nowMs)));
  // Objects removed outright are gone; those marked (finalizers of their own) keep the CRD waiting.
  const gone = results.filter((r, i) => r !== undefined && !r.metadata.deletionTimestamp && live[i]).length;
  if (gone < items.length) {
    pass.wakeAt(pass.nowMs + RECHECK_MS);
    return;
  }
  await pass.attempt(() => removeFinalizer(pass.store, pass.clusterId, CRD_RESOURCE, crd, CRD_CLEANUP_FINALIZER));
}
