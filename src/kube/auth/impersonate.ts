import type { ClusterPrincipal } from '../../auth/principal.ts';
import { impersonationPlan, impersonationRequest } from '../../rbac/impersonation.ts';
import { badRequest, forbidden } from '../status.ts';
import { decide, type Caller } from './authorize.ts';

/**
 * Applies the Impersonate-* headers: the caller must hold the `impersonate` verb on each user,
 * group, uid and extra it names (upstream's Forbidden otherwise), and the request then runs as
 * that user, with none of the caller's own grants.
 */
export async function impersonate(c: Caller, headers: Headers): Promise<ClusterPrincipal> {
  const req = impersonationRequest(headers);
  if (!req) return c.principal;
  const plan = impersonationPlan(req);
  if ('missingUser' in plan) throw badRequest(`requested impersonation of groups, uid or extra without impersonating a user`);
  for (const check of plan.checks) {
    const d = await decide(c, { kind: 'resource', ...check });
    if (!d.allowed) {
      const who = c.principal.user?.username ?? c.principal.subject;
      throw forbidden(who, 'impersonate', { plural: check.resource, group: check.group }, check.namespace, check.name, check.subresource);
    }
  }
  return { ...c.principal, subject: plan.user.username, user: plan.user };
}
