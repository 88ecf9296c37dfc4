import type { Pod, ReplicaSetLike } from '../../kube/objects.ts';
import type { Controller } from '../runtime.ts';
import { CreateAdmission } from '../shared/admission.ts';
import { Pass } from '../shared/pass.ts';
import { controllerOf } from '../shared/owners.ts';
import { isPodActive } from '../shared/pod-state.ts';
import { syncReplicaSet, type ReplicaSetIndex } from './sync.ts';
import { listCached } from '../shared/object-cache.ts';

/**
 * The ReplicaSet controller: keeps `spec.replicas` active pods per ReplicaSet, adopting and
 * releasing pods by selector, and writes status. One pass covers the whole cluster: ReplicaSets
 * and pods are listed once and indexed in memory.
 */
export const replicaSetController: Controller = {
  name: 'replicaset',
  // A create that quota or a LimitRange refused is tried again when they change (upstream requeues with back-off).
  watches: ['replicasets.apps', 'pods', 'resourcequotas', 'limitranges'],
  async reconcile(ctx) {
    const pass = new Pass(ctx, 'replicaset-controller');
    const [rsList, podList] = await Promise.all([listCached(ctx, 'replicasets.apps'), listCached(ctx, 'pods')]);
    const index = buildIndex(rsList, podList);
    const admission = new CreateAdmission(ctx.store, ctx.clusterId);
    for (const rs of rsList) {
      if (pass.exhausted) break;
      await syncReplicaSet(pass, rs, index, admission);
    }
    return pass.result();
  },
};

export function buildIndex(replicaSets: ReplicaSetLike[], pods: Pod[]): ReplicaSetIndex {
  const activePodsByNamespace = new Map<string, Pod[]>();
  const activePodsByOwner = new Map<string, Pod[]>();
  for (const pod of pods) {
    if (!isPodActive(pod)) continue;
    const ns = pod.metadata.namespace ?? '';
    let list = activePodsByNamespace.get(ns);
    if (!list) activePodsByNamespace.set(ns, (list = []));
    list.push(pod);
    const owner = controllerOf(pod)?.uid;
    if (owner) {
      let owned = activePodsByOwner.get(owner);
      if (!owned) activePodsByOwner.set(owner, (owned = []));
      owned.push(pod);
    }
  }
  // ReplicaSets under the same Deployment are siblings: their pods count together when ranking.
  const siblingsByRs = new Map<string, string[]>();
  const byParent = new Map<string, string[]>();
  for (const rs of replicaSets) {
    const parent = controllerOf(rs)?.uid;
    if (!parent) continue;
    let group = byParent.get(parent);
    if (!group) byParent.set(parent, (group = []));
    group.push(rs.metadata.uid!);
  }
  for (const group of byParent.values()) for (const uid of group) siblingsByRs.set(uid, group);
  return {
    activePodsInNamespace: (ns) => activePodsByNamespace.get(ns) ?? [],
    relatedActivePods: (rs) => {
      const uids = siblingsByRs.get(rs.metadata.uid!) ?? [rs.metadata.uid!];
      return uids.flatMap((uid) => activePodsByOwner.get(uid) ?? []);
    },
  };
}
