import type { ClusterPrincipal } from '../auth/principal.ts';
import { AUTHENTICATED_GROUP, MASTERS_GROUP, type ImplicitBinding, type UserInfo } from './types.ts';

/**
 * The user a cluster token authenticates as. The kubeconfig's token is in system:masters (the
 * cluster's administrators); a namespace token is its own user, whose role over its namespaces is
 * expressed as RoleBindings (`implicitBindings`); ServiceAccount tokens and impersonation set `user`.
 */
export function userOf(p: ClusterPrincipal): UserInfo {
  if (p.user) return p.user;
  const extra = { 'kates.dev/tenant': [p.tenantId], 'kates.dev/cluster': [p.clusterId] };
  if (p.role === 'cluster-admin') return { username: p.subject, uid: p.subject, groups: [MASTERS_GROUP, AUTHENTICATED_GROUP], extra };
  return { username: p.subject, uid: p.subject, groups: [AUTHENTICATED_GROUP], extra };
}

/**
 * A namespace token's grants: a RoleBinding of the ClusterRole named by its role in each of its
 * namespaces. They belong to the token, so a request impersonating someone else does not carry them.
 */
export function implicitBindings(p: ClusterPrincipal): ImplicitBinding[] {
  if (p.user || (p.role !== 'view' && p.role !== 'edit')) return [];
  return p.namespaces.map((namespace) => ({ namespace, clusterRole: p.role }));
}
