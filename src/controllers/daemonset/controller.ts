import type { Controller } from '../runtime.ts';
import { CreateAdmission } from '../shared/admission.ts';
import { groupByNamespace } from '../shared/group.ts';
import { Pass } from '../shared/pass.ts';
import { syncDaemonSet } from './sync.ts';
import { listCached } from '../shared/object-cache.ts';

/** The DaemonSet controller: one pod per eligible node, following nodes as they come and go. */
export const daemonSetController: Controller = {
  name: 'daemonset',
  // A create that quota or a LimitRange refused is tried again when they change (upstream requeues with back-off).
  watches: ['daemonsets.apps', 'pods', 'nodes', 'controllerrevisions.apps', 'resourcequotas', 'limitranges'],
  async reconcile(ctx) {
    const pass = new Pass(ctx, 'daemonset-controller');
    const sets = await listCached(ctx, 'daemonsets.apps');
    if (sets.length === 0) return pass.result();
    const [nodes, pods, revisions] = await Promise.all([listCached(ctx, 'nodes'), listCached(ctx, 'pods'), listCached(ctx, 'controllerrevisions.apps')]);
    const inputs = {
      nodes,
      podsIn: groupByNamespace(pods),
      revisionsIn: groupByNamespace(revisions),
      admission: new CreateAdmission(ctx.store, ctx.clusterId),
    };
    for (const ds of sets) {
      if (pass.exhausted) break;
      await syncDaemonSet(pass, ds, inputs);
    }
    return pass.result();
  },
};
