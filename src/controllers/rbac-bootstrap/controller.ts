import type { Controller } from '../runtime.ts';
import { listCached } from '../shared/object-cache.ts';
import { Pass } from '../shared/pass.ts';
import { defaultClusterRoleBindings, defaultClusterRoles } from '../../rbac/defaults.ts';
import { RBAC_RESOURCES } from '../../rbac/types.ts';
import type { WriteOp } from '../../store/objects.ts';

/**
 * The API server's RBAC bootstrap: the default ClusterRoles and ClusterRoleBindings that are missing
 * are created (clusters provisioned before they existed get them too). Like upstream's post-start
 * hook it only fills gaps, never overwrites an edited role, and does not watch the roles themselves:
 * it runs when the cluster starts or a namespace changes, so a deleted default comes back then.
 */
export const rbacBootstrapController: Controller = {
  name: 'rbac-bootstrap',
  watches: ['namespaces'],
  async reconcile(ctx) {
    const pass = new Pass(ctx, 'rbac-bootstrap');
    const ops: WriteOp[] = [];
    for (const [resource, defaults] of [
      [RBAC_RESOURCES.clusterroles, defaultClusterRoles()],
      [RBAC_RESOURCES.clusterrolebindings, defaultClusterRoleBindings()],
    ] as const) {
      const have = new Set((await listCached(ctx, resource)).map((o) => o.metadata.name));
      for (const object of defaults) if (!have.has(object.metadata.name)) ops.push({ op: 'create', resource, object });
    }
    if (ops.length) await pass.commit(ops);
    return pass.result();
  },
};
