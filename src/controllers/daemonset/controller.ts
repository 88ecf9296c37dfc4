import type { Controller } from '../runtime.ts';
import { CreateAdmission } from '../shared/admission.ts';
import { groupByNamespace } from '../shared/group.ts';
import { Pass } from '../shared/pass.ts';
import { syncDaemonSet } from './sync.ts';

/** The DaemonSet controller: one pod per eligible node, following nodes as they come and go. */
export const daemonSetController: Controller = {
  name: 'daemonset',
  watches: ['daemonsets.apps', 'pods', 'nodes', 'controllerrevisions.apps'],
  async reconcile(ctx) {
    const pass = new Pass(ctx, 'daemonset-controller');
    const sets = (await ctx.store.list(ctx.clusterId, 'daemonsets.apps')).items;
    if (sets.length === 0) return pass.result();
    const [nodes, pods, revisions] = await Promise.all(['nodes', 'pods', 'controllerrevisions.apps'].map((r) => ctx.store.list(ctx.clusterId, r)));
    const inputs = {
      nodes: nodes.items,
      podsIn: groupByNamespace(pods.items),
      revisionsIn: groupByNamespace(revisions.items),
      admission: new CreateAdmission(ctx.store, ctx.clusterId),
    };
    for (const ds of sets) {
      if (pass.exhausted) break;
      await syncDaemonSet(pass, ds, inputs);
    }
    return pass.result();
  },
};
