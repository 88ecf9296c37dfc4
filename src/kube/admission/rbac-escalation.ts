import type { KubeObject } from '../types.ts';
import type { KubeRequest } from '../handlers/context.ts';
import { admissionForbidden, notFound } from '../status.ts';
import { decide, rbacOf } from '../auth/authorize.ts';
import { implicitBindings, userOf } from '../../rbac/identity.ts';
import { escalationMessage, uncoveredRules } from '../../rbac/escalation.ts';
import { rulesOf } from '../../rbac/aggregation.ts';
import { MASTERS_GROUP, RBAC_GROUP, RBAC_RESOURCES, type PolicyRule } from '../../rbac/types.ts';

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * RBAC's escalation prevention, as the API server's rbac storage applies it: a Role or ClusterRole
 * may only hold rules its author holds (unless they may `escalate` it), and a binding may only
 * grant a role whose rules its author holds (unless they may `bind` that role). Writes that change
 * neither the rules nor who is bound are not checked.
 */
export async function checkRbacEscalation(req: KubeRequest, obj: KubeObject, old?: KubeObject): Promise<void> {
  const def = req.storageDef;
  if (def.group !== RBAC_GROUP) return;
  const user = userOf(req.principal);
  if (user.groups.includes(MASTERS_GROUP)) return;
  const caller = { deps: req.deps, clusterId: req.clusterId, principal: req.principal };
  const namespace = def.namespaced ? obj.metadata.namespace : undefined;
  const name = obj.metadata.name ?? '';
  let wanted: PolicyRule[];
  if (def.plural === 'roles' || def.plural === 'clusterroles') {
    if (old && same(old.rules, obj.rules) && same(old.aggregationRule, obj.aggregationRule)) return;
    if ((await decide(caller, { kind: 'resource', verb: 'escalate', group: RBAC_GROUP, resource: def.plural, namespace, name })).allowed) return;
    if (obj.aggregationRule) throw admissionForbidden(def, name, 'must have cluster-admin privileges to use the aggregationRule');
    wanted = rulesOf(obj);
  } else {
    if (old && same(old.subjects, obj.subjects) && same(old.roleRef, obj.roleRef)) return;
    const ref = obj.roleRef as { kind: string; name: string };
    const refResource = ref.kind === 'Role' ? 'roles' : 'clusterroles';
    if ((await decide(caller, { kind: 'resource', verb: 'bind', group: RBAC_GROUP, resource: refResource, namespace, name: ref.name })).allowed) return;
    const policy = await rbacOf(req.deps).policy(req.clusterId);
    const rules = ref.kind === 'Role' ? await roleRules(req, namespace!, ref.name) : policy.clusterRoleRules.get(ref.name);
    if (!rules) throw notFound({ plural: refResource, group: RBAC_GROUP, kind: ref.kind }, ref.name);
    wanted = rules;
  }
  const owned = (await rbacOf(req.deps).policy(req.clusterId)).rulesFor(user, namespace, implicitBindings(req.principal));
  const missing = uncoveredRules(owned, wanted);
  if (missing.length) throw admissionForbidden(def, name, escalationMessage(user, missing));
}

async function roleRules(req: KubeRequest, namespace: string, name: string): Promise<PolicyRule[] | undefined> {
  const role = await req.deps.store.get(req.clusterId, RBAC_RESOURCES.roles, namespace, name);
  return role ? rulesOf(role) : undefined;
}
