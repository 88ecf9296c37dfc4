import type { PolicyRule, UserInfo } from './types.ts';

/** One verb on one resource (or URL): the unit a rule is checked at when a role is granted. */
interface Atom {
  verb: string;
  group?: string;
  resource?: string;
  name?: string;
  url?: string;
}

function atomsOf(rule: PolicyRule): Atom[] {
  const out: Atom[] = [];
  for (const verb of rule.verbs ?? []) {
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        if (rule.resourceNames?.length) for (const name of rule.resourceNames) out.push({ verb, group, resource, name });
        else out.push({ verb, group, resource });
      }
    }
    for (const url of rule.nonResourceURLs ?? []) out.push({ verb, url });
  }
  return out;
}

const hasOrStar = (list: string[] | undefined, v: string) => !!list && (list.includes('*') || list.includes(v));

function resourceCovered(owned: string[], wanted: string): boolean {
  if (owned.includes('*') || owned.includes(wanted)) return true;
  const slash = wanted.indexOf('/');
  if (slash < 0) return false;
  // `*/status` covers every status subresource, `pods/*` every pod subresource.
  return owned.includes(`*${wanted.slice(slash)}`) || owned.includes(`${wanted.slice(0, slash)}/*`);
}

function covers(owner: PolicyRule, a: Atom): boolean {
  if (!hasOrStar(owner.verbs, a.verb)) return false;
  if (a.url !== undefined) return (owner.nonResourceURLs ?? []).some((u) => u === '*' || u === a.url || (u.endsWith('*') && a.url!.startsWith(u.slice(0, -1))));
  if (!hasOrStar(owner.apiGroups, a.group!) || !resourceCovered(owner.resources ?? [], a.resource!)) return false;
  if (!owner.resourceNames?.length) return true;
  return a.name !== undefined && owner.resourceNames.includes(a.name);
}

/** The parts of `wanted` that no rule of `owned` covers, compacted as upstream prints them. */
export function uncoveredRules(owned: PolicyRule[], wanted: PolicyRule[]): PolicyRule[] {
  const missing = new Map<string, PolicyRule>();
  for (const rule of wanted) {
    for (const a of atomsOf(rule)) {
      if (owned.some((o) => covers(o, a))) continue;
      const key = a.url !== undefined ? `url:${a.url}` : `${a.group}\u0000${a.resource}\u0000${a.name ?? ''}`;
      const hit = missing.get(key);
      if (hit) {
        if (!hit.verbs.includes(a.verb)) hit.verbs.push(a.verb);
        continue;
      }
      missing.set(
        key,
        a.url !== undefined
          ? { nonResourceURLs: [a.url], verbs: [a.verb] }
          : { apiGroups: [a.group!], resources: [a.resource!], ...(a.name !== undefined ? { resourceNames: [a.name] } : {}), verbs: [a.verb] },
      );
    }
  }
  return [...missing.values()].map((r) => ({ ...r, verbs: [...r.verbs].sort() })).sort((x, y) => compactString(x).localeCompare(compactString(y)));
}

/** Go's %q of a string slice: `["a" "b"]`. */
const quoted = (list: string[]) => `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;

/** rbacv1helpers.CompactString: `{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}`. */
export function compactString(r: PolicyRule): string {
  const parts: string[] = [];
  if (r.apiGroups?.length) parts.push(`APIGroups:${quoted(r.apiGroups)}`);
  if (r.resources?.length) parts.push(`Resources:${quoted(r.resources)}`);
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${quoted(r.nonResourceURLs)}`);
  if (r.resourceNames?.length) parts.push(`ResourceNames:${quoted(r.resourceNames)}`);
  if (r.verbs?.length) parts.push(`Verbs:${quoted(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}

/** The reason upstream gives when a role or binding would grant more than its author holds. */
export function escalationMessage(user: UserInfo, missing: PolicyRule[]): string {
  return `user ${JSON.stringify(user.username)} (groups=${quoted(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${missing.map(compactString).join('\n')}`;
}
