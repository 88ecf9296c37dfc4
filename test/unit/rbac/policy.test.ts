import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Policy } from '../../../src/rbac/policy.ts';
import { uncoveredRules, escalationMessage } from '../../../src/rbac/escalation.ts';
import { impersonationPlan, impersonationRequest } from '../../../src/rbac/impersonation.ts';
import { ruleAllowsNonResource, ruleAllowsResource } from '../../../src/rbac/rules.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

const RBAC = 'rbac.authorization.k8s.io';
const obj = (kind: string, name: string, rest: Record<string, unknown>, namespace?: string): KubeObject => ({
  apiVersion: `${RBAC}/v1`,
  kind,
  metadata: { name, namespace },
  ...rest,
});
const alice = { username: 'alice', groups: ['system:authenticated'] };
const res = (verb: string, resource: string, namespace?: string, extra: Record<string, string> = {}) => ({
  kind: 'resource' as const,
  verb,
  group: '',
  resource,
  namespace,
  ...extra,
});

test('rules match verbs, groups, star-subresources, resource names and URL prefixes as upstream', () => {
  assert.ok(ruleAllowsResource({ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, { verb: 'get', group: '', resource: 'pods' }));
  assert.ok(!ruleAllowsResource({ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, { verb: 'get', group: '', resource: 'pods', subresource: 'log' }));
  assert.ok(
    ruleAllowsResource(
      { verbs: ['*'], apiGroups: ['*'], resources: ['*/status'] },
      { verb: 'patch', group: 'apps', resource: 'deployments', subresource: 'status' },
    ),
  );
  assert.ok(!ruleAllowsResource({ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }, { verb: 'list', group: '', resource: 'pods' }));
  assert.ok(
    !ruleAllowsResource(
      { verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] },
      { verb: 'get', group: '', resource: 'pods', name: 'b' },
    ),
  );
  assert.ok(ruleAllowsNonResource({ verbs: ['get'], nonResourceURLs: ['/apis/*'] }, { verb: 'get', path: '/apis/apps/v1' }));
  assert.ok(!ruleAllowsNonResource({ verbs: ['get'], nonResourceURLs: ['/apis'] }, { verb: 'get', path: '/apis/apps' }));
});

test('bindings grant in their namespace; defaults cover discovery and self reviews; groups and ServiceAccounts are subjects', () => {
  const policy = new Policy({
    roles: [obj('Role', 'reader', { rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['configmaps'] }] }, 'a')],
    clusterRoles: [],
    roleBindings: [
      obj(
        'RoleBinding',
        'alice-reader',
        { roleRef: { apiGroup: RBAC, kind: 'Role', name: 'reader' }, subjects: [{ kind: 'User', name: 'alice', apiGroup: RBAC }] },
        'a',
      ),
      obj(
        'RoleBinding',
        'sa-view',
        { roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'ServiceAccount', name: 'robot' }] },
        'b',
      ),
      obj(
        'RoleBinding',
        'dangling',
        { roleRef: { apiGroup: RBAC, kind: 'Role', name: 'missing' }, subjects: [{ kind: 'User', name: 'alice', apiGroup: RBAC }] },
        'b',
      ),
    ],
    clusterRoleBindings: [
      obj('ClusterRoleBinding', 'devs-edit', {
        roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'edit' },
        subjects: [{ kind: 'Group', name: 'devs', apiGroup: RBAC }],
      }),
    ],
  });
  assert.equal(policy.authorize(alice, res('list', 'configmaps', 'a')).allowed, true);
  assert.match(policy.authorize(alice, res('list', 'configmaps', 'a')).reason!, /RoleBinding "alice-reader\/a" of Role "reader" to User "alice"/);
  assert.equal(policy.authorize(alice, res('list', 'configmaps', 'b')).allowed, false);
  assert.equal(policy.authorize(alice, res('delete', 'configmaps', 'a')).allowed, false);
  assert.equal(policy.authorize(alice, { kind: 'nonResource', verb: 'get', path: '/version' }).allowed, true);
  assert.equal(
    policy.authorize(alice, { kind: 'resource', verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' }).allowed,
    true,
  );
  const robot = { username: 'system:serviceaccount:b:robot', groups: ['system:serviceaccounts', 'system:authenticated'] };
  assert.equal(policy.authorize(robot, res('get', 'pods', 'b')).allowed, true);
  assert.equal(policy.authorize(robot, res('get', 'secrets', 'b')).allowed, false);
  const dev = { username: 'carol', groups: ['devs', 'system:authenticated'] };
  assert.equal(policy.authorize(dev, res('create', 'secrets', 'anywhere')).allowed, true);
  assert.equal(policy.authorize(dev, res('create', 'resourcequotas', 'anywhere')).allowed, false);
  assert.equal(policy.authorize(dev, res('list', 'nodes')).allowed, false);
  // A namespace token's grant: view in one namespace, and reading that namespace object itself.
  const implicit = [{ namespace: 'team', clusterRole: 'view' }];
  assert.equal(policy.authorize(alice, res('get', 'namespaces', 'team', { name: 'team' }), implicit).allowed, true);
  assert.equal(policy.authorize(alice, res('list', 'secrets', 'team'), implicit).allowed, false);
});

test('a ClusterRole aggregates the rules of the roles its selectors match, transitively', () => {
  const policy = new Policy({
    roles: [],
    clusterRoles: [
      obj('ClusterRole', 'widgets', {
        metadata: { name: 'widgets', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
        rules: [{ verbs: ['get'], apiGroups: ['x.io'], resources: ['widgets'] }],
      }),
    ],
    roleBindings: [],
    clusterRoleBindings: [],
  });
  for (const role of ['view', 'edit', 'admin'])
    assert.ok(
      policy.clusterRoleRules.get(role)!.some((r) => r.resources?.includes('widgets')),
      role,
    );
  assert.ok(!policy.clusterRoleRules.get('view')!.some((r) => r.resources?.includes('secrets')));
  assert.ok(policy.clusterRoleRules.get('admin')!.some((r) => r.resources?.includes('rolebindings')));
});

test('escalation: what is not held is listed in upstream compact form', () => {
  const owned = [
    { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'pods/*'] },
    { verbs: ['*'], apiGroups: ['apps'], resources: ['*'] },
  ];
  assert.deepEqual(
    uncoveredRules(owned, [
      { verbs: ['get'], apiGroups: [''], resources: ['pods', 'pods/log'] },
      { verbs: ['delete'], apiGroups: ['apps'], resources: ['deployments'] },
    ]),
    [],
  );
  const missing = uncoveredRules(owned, [{ verbs: ['get', 'watch'], apiGroups: [''], resources: ['pods', 'secrets'] }]);
  assert.equal(
    escalationMessage({ username: 'bob', groups: ['system:authenticated'] }, missing),
    'user "bob" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["watch"]}\n{APIGroups:[""], Resources:["secrets"], Verbs:["get" "watch"]}',
  );
  assert.equal(
    uncoveredRules([{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'] }], [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }])
      .length,
    1,
  );
});

test('impersonation headers become checks on users, groups, uids, extras and ServiceAccounts', () => {
  const h = new Headers({
    'Impersonate-User': 'system:serviceaccount:ns:bot',
    'Impersonate-Group': 'ops',
    'Impersonate-Uid': 'u1',
    'Impersonate-Extra-Scopes%2Fa': 'x',
  });
  const plan = impersonationPlan(impersonationRequest(h)!);
  assert.ok(!('missingUser' in plan));
  if ('missingUser' in plan) return;
  assert.deepEqual(
    plan.checks.map((c) => `${c.resource}${c.subresource ? `/${c.subresource}` : ''}:${c.namespace ?? ''}:${c.name}`),
    ['serviceaccounts:ns:bot', 'groups::ops', 'uids::u1', 'userextras/scopes/a::x'],
  );
  assert.equal(plan.user.username, 'system:serviceaccount:ns:bot');
  assert.deepEqual(plan.user.groups, ['ops', 'system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated']);
  assert.deepEqual(impersonationPlan(impersonationRequest(new Headers({ 'Impersonate-Group': 'x' }))!), { missingUser: true });
  assert.equal(impersonationRequest(new Headers({ accept: 'application/json' })), undefined);
});
