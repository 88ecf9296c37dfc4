import type { ResourceDef } from './types.ts';
import { resource } from './helpers.ts';
import { bindingPrinter, rolePrinter } from '../tables/rbac.ts';
import { defaultBinding, validateClusterRole, validateClusterRoleBinding, validateRole, validateRoleBinding } from '../validation/rbac.ts';
import { aggregatedRules, withAggregatedRules } from '../../rbac/aggregation.ts';

const group = 'rbac.authorization.k8s.io';
const version = 'v1';

/** rbac.authorization.k8s.io/v1: Roles, ClusterRoles and their bindings (no status, no generation). */
export const rbacResources: ResourceDef[] = [
  resource({
    group,
    version,
    kind: 'ClusterRoleBinding',
    plural: 'clusterrolebindings',
    singular: 'clusterrolebinding',
    namespaced: false,
    nameRule: 'path',
    defaults: defaultBinding,
    validate: validateClusterRoleBinding,
    printer: bindingPrinter,
    statusFields: [],
  }),
  resource({
    group,
    version,
    kind: 'ClusterRole',
    plural: 'clusterroles',
    singular: 'clusterrole',
    namespaced: false,
    nameRule: 'path',
    validate: validateClusterRole,
    printer: rolePrinter,
    statusFields: [],
    // Aggregated roles show the rules their selectors gather, as the aggregation controller keeps them.
    async readView({ store, clusterId }) {
      const all = (await store.list(clusterId, `clusterroles.${group}`)).items;
      if (!all.some((r) => r.aggregationRule)) return (r) => r;
      const rules = aggregatedRules(all);
      return (r) => withAggregatedRules(r, rules);
    },
  }),
  resource({
    group,
    version,
    kind: 'RoleBinding',
    plural: 'rolebindings',
    singular: 'rolebinding',
    namespaced: true,
    nameRule: 'path',
    defaults: defaultBinding,
    validate: validateRoleBinding,
    printer: bindingPrinter,
    statusFields: [],
  }),
  resource({
    group,
    version,
    kind: 'Role',
    plural: 'roles',
    singular: 'role',
    namespaced: true,
    nameRule: 'path',
    validate: validateRole,
    printer: rolePrinter,
    statusFields: [],
  }),
];
