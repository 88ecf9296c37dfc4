import type { ClusterPrincipal } from '../../auth/principal.ts';
import type { KubeDeps } from '../deps.ts';
import { forbidden } from '../status.ts';
import { implicitBindings, userOf } from '../../rbac/identity.ts';
import type { Decision } from '../../rbac/policy.ts';
import type { RequestAttributes, ResourceAttributes } from '../../rbac/types.ts';
import { RbacAuthorizer } from '../../rbac/authorizer.ts';

/** Who is asking, on which cluster: enough to decide with the cluster's RBAC policy. */
export interface Caller {
  deps: KubeDeps;
  clusterId: string;
  principal: ClusterPrincipal;
}

const authorizers = new WeakMap<KubeDeps, RbacAuthorizer>();

/** The RBAC authorizer of these deps (one per API instance, so its compiled policies are shared). */
export function rbacOf(deps: KubeDeps): RbacAuthorizer {
  if (deps.rbac) return deps.rbac;
  let a = authorizers.get(deps);
  if (!a) authorizers.set(deps, (a = new RbacAuthorizer(deps.store, deps.feed)));
  return a;
}

/** The caller's RBAC decision on one request (its token's implicit namespace bindings included). */
export function decide(c: Caller, attrs: RequestAttributes): Promise<Decision> {
  return rbacOf(c.deps).authorize(c.clusterId, userOf(c.principal), attrs, implicitBindings(c.principal));
}

/** Throws upstream's Forbidden Status (`User "x" cannot list resource "secrets" ...`) unless allowed. */
export async function requireAllowed(c: Caller, attrs: ResourceAttributes): Promise<void> {
  const d = await decide(c, { kind: 'resource', ...attrs });
  if (d.allowed) return;
  throw forbidden(userOf(c.principal).username, attrs.verb, { plural: attrs.resource, group: attrs.group }, attrs.namespace, attrs.name, attrs.subresource);
}
