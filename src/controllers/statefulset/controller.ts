import type { ControllerRevision, PersistentVolumeClaim, Pod, StatefulSet } from '../../kube/objects.ts';
import type { Controller } from '../runtime.ts';
import { CreateAdmission } from '../shared/admission.ts';
import { canonicalJson } from '../shared/canonical.ts';
import { planClaims, withControllerRef, withoutOwnerRef } from '../shared/owners.ts';
import { Pass } from '../shared/pass.ts';
import { podAvailableAt } from '../shared/pod-state.ts';
import { selectorMatches } from '../shared/selector.ts';
import { groupByNamespace } from '../shared/group.ts';
import { ordinalOf } from './identity.ts';
import { StatefulPodControl } from './pod-control.ts';
import { syncRevisions, truncateHistory } from './revisions.ts';
import { statefulSetStatus } from './status.ts';
import { updateStatefulSet } from './update.ts';
import { listCached } from '../shared/object-cache.ts';

type ByNamespace<T> = (ns: string) => T[];

/** The StatefulSet controller: ordered, stable pods with their own claims, and revisioned updates. */
export const statefulSetController: Controller = {
  name: 'statefulset',
  // A create that quota or a LimitRange refused is tried again when they change (upstream requeues with back-off).
  watches: ['statefulsets.apps', 'pods', 'persistentvolumeclaims', 'controllerrevisions.apps', 'resourcequotas', 'limitranges'],
  async reconcile(ctx) {
    const pass = new Pass(ctx, 'statefulset-controller');
    const sets = await listCached(ctx, 'statefulsets.apps');
    if (sets.length === 0) return pass.result();
    const [pods, claims, revisions] = await Promise.all([
      listCached(ctx, 'pods').then(groupByNamespace),
      listCached(ctx, 'persistentvolumeclaims').then(groupByNamespace),
      listCached(ctx, 'controllerrevisions.apps').then(groupByNamespace),
    ]);
    const admission = new CreateAdmission(ctx.store, ctx.clusterId);
    for (const set of sets) {
      if (pass.exhausted) break;
      await syncStatefulSet(pass, set, pods, claims, revisions, admission);
    }
    return pass.result();
  },
};

async function syncStatefulSet(
  pass: Pass,
  set: StatefulSet,
  podsIn: ByNamespace<Pod>,
  claimsIn: ByNamespace<PersistentVolumeClaim>,
  revisionsIn: ByNamespace<ControllerRevision>,
  admission: CreateAdmission,
): Promise<void> {
  const ns = set.metadata.namespace ?? '';
  const selector = set.spec?.selector;
  const pods = await claim(pass, set, 'pods', podsIn(ns), (p) => selectorMatches(selector, p.metadata.labels) && ordinalOf(p, set.metadata.name!) >= 0);
  const owned = await claim(pass, set, 'controllerrevisions.apps', revisionsIn(ns), (r) => selectorMatches(selector, r.metadata.labels));
  const revs = await syncRevisions(pass, set, owned, admission);
  if (!revs) return;
  const claims = new Map(claimsIn(ns).map((c) => [c.metadata.name!, c]));
  const control = new StatefulPodControl(pass, set, claims, admission);
  const after = await updateStatefulSet(pass, set, pods, revs, control);
  for (const pod of after) {
    const at = podAvailableAt(pod, set.spec?.minReadySeconds ?? 0, pass.nowMs);
    if (at !== undefined) pass.wakeAt(at);
  }
  const status = statefulSetStatus(set, after, revs, pass.nowMs);
  if (canonicalJson(set.status ?? {}) !== canonicalJson(status)) {
    await pass.attempt(() => pass.store.update(pass.clusterId, 'statefulsets.apps', { ...set, status }));
  }
  await truncateHistory(pass, set, after, revs);
}

/** Adopts and releases by selector; returns what the set owns afterwards. */
async function claim<T extends Pod | ControllerRevision>(
  pass: Pass,
  set: StatefulSet,
  resource: string,
  candidates: T[],
  selected: (o: T) => boolean,
): Promise<T[]> {
  const plan = planClaims(set, candidates, selected);
  const owned = [...plan.owned];
  for (const obj of plan.adopt) {
    const adopted = await pass.attempt(() => pass.store.update(pass.clusterId, resource, withControllerRef(obj, set)));
    if (adopted) owned.push(adopted);
  }
  for (const obj of plan.release) await pass.attempt(() => pass.store.update(pass.clusterId, resource, withoutOwnerRef(obj, set.metadata.uid!)));
  return owned;
}
