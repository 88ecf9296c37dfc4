/** RBAC shapes (rbac.authorization.k8s.io/v1) and the identity a request is authorized as. */

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount' | string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: 'Role' | 'ClusterRole' | string;
  name: string;
}

/** Who a request runs as, after authentication and impersonation (authentication.k8s.io UserInfo). */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** What one request asks to do, as the RBAC authorizer sees it. */
export interface ResourceAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface NonResourceAttributes {
  verb: string;
  path: string;
}

export type RequestAttributes = ({ kind: 'resource' } & ResourceAttributes) | ({ kind: 'nonResource' } & NonResourceAttributes);

/** A grant that does not come from a stored binding: a namespace token's role over its namespaces. */
export interface ImplicitBinding {
  /** Undefined for a cluster-wide grant. */
  namespace?: string;
  clusterRole: string;
}

export const MASTERS_GROUP = 'system:masters';
export const AUTHENTICATED_GROUP = 'system:authenticated';
export const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';
export const SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
/** The store keys of the four RBAC kinds. */
export const RBAC_RESOURCES = {
  roles: `roles.${RBAC_GROUP}`,
  clusterroles: `clusterroles.${RBAC_GROUP}`,
  rolebindings: `rolebindings.${RBAC_GROUP}`,
  clusterrolebindings: `clusterrolebindings.${RBAC_GROUP}`,
} as const;

/** `system:serviceaccount:<ns>:<name>` split, or undefined for other users. */
export function serviceAccountOf(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const [namespace, name, ...rest] = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  if (!namespace || !name || rest.length) return undefined;
  return { namespace, name };
}

/** The identity of a ServiceAccount, with the groups the API server gives it. */
export function serviceAccountUser(namespace: string, name: string, uid?: string, extra?: Record<string, string[]>): UserInfo {
  const user: UserInfo = {
    username: `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`,
    groups: [SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${namespace}`, AUTHENTICATED_GROUP],
  };
  if (uid) user.uid = uid;
  if (extra) user.extra = extra;
  return user;
}
