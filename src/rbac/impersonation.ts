import { AUTHENTICATED_GROUP, serviceAccountOf, serviceAccountUser, type ResourceAttributes, type UserInfo } from './types.ts';

/** What the Impersonate-* headers ask for, or undefined when there are none. */
export interface ImpersonationRequest {
  user?: string;
  groups: string[];
  uid?: string;
  extra: Record<string, string[]>;
}

const EXTRA_PREFIX = 'impersonate-extra-';

export function impersonationRequest(headers: Headers): ImpersonationRequest | undefined {
  const req: ImpersonationRequest = {
    user: headers.get('impersonate-user') ?? undefined,
    groups: [],
    uid: headers.get('impersonate-uid') ?? undefined,
    extra: {},
  };
  let any = req.user !== undefined || req.uid !== undefined;
  headers.forEach((value, name) => {
    const lower = name.toLowerCase();
    if (lower === 'impersonate-group') {
      // Fetch joins repeated headers with ", "; kubectl sends one header per --as-group.
      req.groups.push(
        ...value
          .split(',')
          .map((g) => g.trim())
          .filter(Boolean),
      );
      any = true;
    } else if (lower.startsWith(EXTRA_PREFIX)) {
      let key = lower.slice(EXTRA_PREFIX.length);
      try {
        key = decodeURIComponent(key);
      } catch {
        // Not percent-encoded: taken as it is.
      }
      (req.extra[key] ??= []).push(...value.split(',').map((v) => v.trim()));
      any = true;
    }
  });
  return any ? req : undefined;
}

/**
 * The permissions impersonating asks of the caller (the `impersonate` verb on users, groups,
 * serviceaccounts, uids and userextras, as upstream's impersonation filter checks them), and the
 * user the request then runs as. Throws `missingUser` when groups, uid or extra come without a user.
 */
export function impersonationPlan(req: ImpersonationRequest): { checks: ResourceAttributes[]; user: UserInfo } | { missingUser: true } {
  if (!req.user) return { missingUser: true };
  const checks: ResourceAttributes[] = [];
  const sa = serviceAccountOf(req.user);
  if (sa) checks.push({ verb: 'impersonate', group: '', resource: 'serviceaccounts', namespace: sa.namespace, name: sa.name });
  else checks.push({ verb: 'impersonate', group: '', resource: 'users', name: req.user });
  for (const g of req.groups) checks.push({ verb: 'impersonate', group: '', resource: 'groups', name: g });
  if (req.uid !== undefined) checks.push({ verb: 'impersonate', group: 'authentication.k8s.io', resource: 'uids', name: req.uid });
  for (const [key, values] of Object.entries(req.extra)) {
    for (const v of values) checks.push({ verb: 'impersonate', group: 'authentication.k8s.io', resource: 'userextras', subresource: key, name: v });
  }
  let user: UserInfo;
  if (sa) {
    user = serviceAccountUser(sa.namespace, sa.name);
    user.groups = [...new Set([...req.groups, ...user.groups])];
  } else {
    const groups = [...req.groups];
    if (req.user !== 'system:anonymous' && !groups.includes(AUTHENTICATED_GROUP)) groups.push(AUTHENTICATED_GROUP);
    user = { username: req.user, groups };
  }
  if (req.uid !== undefined) user.uid = req.uid;
  if (Object.keys(req.extra).length) user.extra = req.extra;
  return { checks, user };
}
