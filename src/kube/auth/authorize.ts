import type { ClusterPrincipal } from '../../auth/principal.ts';

/** One request as RBAC sees it. */
export interface Attributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  namespaced: boolean;
}

const READ = new Set(['get', 'list', 'watch']);
/** What the built-in `edit` role may read but not change. */
const EDIT_READ_ONLY = new Set(['resourcequotas', 'limitranges']);
/** Subresources the `view` role grants besides plain reads. */
const VIEW_SUBRESOURCES = new Set(['log', 'status', 'scale']);

function namespaceAllowed(p: ClusterPrincipal, ns: string | undefined): boolean {
  if (p.namespaces.length === 0) return true;
  return ns !== undefined && p.namespaces.includes(ns);
}

/**
 * The built-in roles as they behave when bound to the token's namespaces: `cluster-admin` may do
 * anything; `edit` and `view` act on namespaced objects of their namespaces only (plus reading the
 * namespace objects themselves), `view` never reads Secrets, `edit` cannot change quotas or limits.
 */
export function authorize(p: ClusterPrincipal, a: Attributes): boolean {
  if (p.role === 'cluster-admin') return true;
  const isRead = READ.has(a.verb);
  if (a.group === '' && a.resource === 'namespaces') {
    if (!isRead || a.subresource) return false;
    if (p.namespaces.length === 0) return true;
    return a.verb !== 'list' && a.verb !== 'watch' ? !!a.name && p.namespaces.includes(a.name) : false;
  }
  if (!a.namespaced) return false;
  if (!namespaceAllowed(p, a.namespace)) return false;
  if (p.role === 'view') {
    if (a.group === '' && a.resource === 'secrets') return false;
    if (a.subresource && !VIEW_SUBRESOURCES.has(a.subresource)) return false;
    return isRead;
  }
  // edit
  if (a.group === '' && EDIT_READ_ONLY.has(a.resource)) return isRead;
  return true;
}

/** The rules a SelfSubjectRulesReview reports for a namespace. */
export function rulesFor(p: ClusterPrincipal, namespace: string): { verbs: string[]; apiGroups: string[]; resources: string[] }[] {
  if (p.role === 'cluster-admin') return [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }];
  if (!namespaceAllowed(p, namespace)) return [];
  if (p.role === 'view') return [{ verbs: ['get', 'list', 'watch'], apiGroups: ['*'], resources: ['*'] }];
  return [
    { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['resourcequotas', 'limitranges'] },
  ];
}
