import type { KubeObject } from '../kube/types.ts';
import { aggregatedRules, rulesOf } from './aggregation.ts';
import { defaultClusterRoleBindings, defaultClusterRoles } from './defaults.ts';
import { ruleAllowsNonResource, ruleAllowsResource } from './rules.ts';
import { RBAC_GROUP, type ImplicitBinding, type PolicyRule, type RequestAttributes, type Subject, type UserInfo } from './types.ts';

/** One binding as compiled: where it applies (undefined: every namespace) and what it grants. */
interface Grant {
  namespace?: string;
  rules: PolicyRule[];
  /** How `allowed` reasons name it, as upstream: `RBAC: allowed by RoleBinding "x/ns" of ClusterRole "y" to User "z"`. */
  describe: (subject: string) => string;
}

export interface RbacObjects {
  roles: KubeObject[];
  clusterRoles: KubeObject[];
  roleBindings: KubeObject[];
  clusterRoleBindings: KubeObject[];
}

export interface Decision {
  allowed: boolean;
  reason?: string;
}

const userKey = (name: string) => `u:${name}`;
const groupKey = (name: string) => `g:${name}`;

function subjectKey(s: Subject, bindingNamespace: string | undefined): string | undefined {
  if (!s || typeof s.name !== 'string') return undefined;
  if (s.kind === 'User') return userKey(s.name);
  if (s.kind === 'Group') return groupKey(s.name);
  if (s.kind === 'ServiceAccount') {
    const ns = s.namespace || bindingNamespace;
    return ns ? userKey(`system:serviceaccount:${ns}:${s.name}`) : undefined;
  }
  return undefined;
}

/** Stored objects win over the built-in defaults of the same name; the defaults fill what is missing. */
function withDefaults(stored: KubeObject[], defaults: KubeObject[]): KubeObject[] {
  const names = new Set(stored.map((o) => o.metadata.name));
  return [...stored, ...defaults.filter((d) => !names.has(d.metadata.name))];
}

/**
 * A cluster's RBAC policy compiled for lookups: every binding resolved to its rules and indexed by
 * subject, so a decision walks only the bindings of the caller's user name and groups.
 */
export class Policy {
  private readonly bySubject = new Map<string, Grant[]>();
  readonly clusterRoleRules: Map<string, PolicyRule[]>;

  constructor(objects: RbacObjects) {
    const clusterRoles = withDefaults(objects.clusterRoles, defaultClusterRoles());
    this.clusterRoleRules = aggregatedRules(clusterRoles);
    const roles = new Map(objects.roles.map((r) => [`${r.metadata.namespace}/${r.metadata.name}`, rulesOf(r)]));
    const bind = (b: KubeObject, namespace: string | undefined) => {
      const ref = b.roleRef as { kind?: string; name?: string } | undefined;
      if (!ref?.name) return;
      const rules =
        ref.kind === 'ClusterRole' ? this.clusterRoleRules.get(ref.name) : ref.kind === 'Role' && namespace ? roles.get(`${namespace}/${ref.name}`) : undefined;
      if (!rules?.length) return;
      const where = namespace ? `RoleBinding "${b.metadata.name}/${namespace}"` : `ClusterRoleBinding "${b.metadata.name}"`;
      const grant: Grant = { namespace, rules, describe: (who) => `RBAC: allowed by ${where} of ${ref.kind} "${ref.name}" to ${who}` };
      for (const s of (Array.isArray(b.subjects) ? b.subjects : []) as Subject[]) {
        const key = subjectKey(s, namespace);
        if (!key) continue;
        const list = this.bySubject.get(key);
        if (list) list.push(grant);
        else this.bySubject.set(key, [grant]);
      }
    };
    for (const b of withDefaults(objects.clusterRoleBindings, defaultClusterRoleBindings())) bind(b, undefined);
    for (const b of objects.roleBindings) bind(b, b.metadata.namespace);
  }

  /** The grants that reach a user: its name's, its groups', and any implicit ones (a namespace token's). */
  private *grantsOf(user: UserInfo, implicit: ImplicitBinding[] = []): Generator<{ grant: Grant; who: string }> {
    for (const b of implicit) {
      const rules = this.clusterRoleRules.get(b.clusterRole) ?? [];
      yield {
        grant: { namespace: b.namespace, rules, describe: () => `allowed by the ${b.clusterRole} role of this token in namespace ${b.namespace}` },
        who: '',
      };
    }
    for (const grant of this.bySubject.get(userKey(user.username)) ?? []) yield { grant, who: `User "${user.username}"` };
    for (const g of user.groups) for (const grant of this.bySubject.get(groupKey(g)) ?? []) yield { grant, who: `Group "${g}"` };
  }

  authorize(user: UserInfo, attrs: RequestAttributes, implicit?: ImplicitBinding[]): Decision {
    for (const { grant, who } of this.grantsOf(user, implicit)) {
      if (attrs.kind === 'nonResource') {
        // Non-resource URLs are granted by cluster-wide bindings only.
        if (grant.namespace === undefined && grant.rules.some((r) => ruleAllowsNonResource(r, attrs))) return { allowed: true, reason: grant.describe(who) };
        continue;
      }
      if (grant.namespace !== undefined && grant.namespace !== attrs.namespace) continue;
      if (grant.rules.some((r) => ruleAllowsResource(r, attrs))) return { allowed: true, reason: grant.describe(who) };
    }
    return { allowed: false };
  }

  /** Every rule that applies to the user in a namespace (SelfSubjectRulesReview, escalation checks). */
  rulesFor(user: UserInfo, namespace: string | undefined, implicit?: ImplicitBinding[]): PolicyRule[] {
    const out: PolicyRule[] = [];
    for (const { grant } of this.grantsOf(user, implicit)) {
      if (grant.namespace === undefined || grant.namespace === namespace) out.push(...grant.rules);
    }
    return out;
  }
}

export const RBAC_API_VERSION = `${RBAC_GROUP}/v1`;
