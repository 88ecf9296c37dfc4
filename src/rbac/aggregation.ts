import type { KubeObject } from '../kube/types.ts';
import { compileLabelSelector, type LabelSelector } from '../kube/selectors/labels.ts';
import type { PolicyRule } from './types.ts';

/**
 * The rules of every ClusterRole with ClusterRole aggregation applied, as the clusterrole-aggregation
 * controller would leave them: a role with an `aggregationRule` has the union of the rules of the
 * roles its selectors match (themselves aggregated first; a cycle contributes nothing more).
 */
export function aggregatedRules(clusterRoles: KubeObject[]): Map<string, PolicyRule[]> {
  const byName = new Map(clusterRoles.map((r) => [r.metadata.name!, r]));
  const done = new Map<string, PolicyRule[]>();
  const visiting = new Set<string>();
  const resolve = (name: string): PolicyRule[] => {
    const hit = done.get(name);
    if (hit) return hit;
    const role = byName.get(name);
    if (!role) return [];
    const selectors = (role.aggregationRule as { clusterRoleSelectors?: LabelSelector[] } | undefined)?.clusterRoleSelectors;
    // A stored role is trusted only as far as its shape: anything but a list aggregates nothing.
    if (!Array.isArray(selectors)) {
      done.set(name, rulesOf(role));
      return done.get(name)!;
    }
    if (visiting.has(name)) return [];
    visiting.add(name);
    const matchers = selectors.map((s) => compileLabelSelector(s));
    const out: PolicyRule[] = [];
    const seen = new Set<string>();
    for (const other of clusterRoles) {
      const otherName = other.metadata.name!;
      if (otherName === name || !matchers.some((m) => m(other.metadata.labels))) continue;
      for (const rule of resolve(otherName)) {
        const key = JSON.stringify(rule);
        if (seen.has(key)) continue;
        out.push(rule);
        seen.add(key);
      }
    }
    visiting.delete(name);
    done.set(name, out);
    return out;
  };
  for (const name of byName.keys()) resolve(name);
  return done;
}

export function rulesOf(role: KubeObject | undefined): PolicyRule[] {
  const rules = role?.rules;
  return Array.isArray(rules) ? (rules as PolicyRule[]) : [];
}

/** A ClusterRole as readers see it: aggregated roles show the rules the aggregation gives them. */
export function withAggregatedRules(role: KubeObject, all: Map<string, PolicyRule[]>): KubeObject {
  if (!role.aggregationRule) return role;
  return { ...role, rules: structuredClone(all.get(role.metadata.name!) ?? []) };
}
