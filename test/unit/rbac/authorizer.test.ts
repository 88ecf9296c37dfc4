import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestStore } from '../../helpers/store.ts';
import { storeChangeFeed } from '../../../src/kube/watch/feed.ts';
import { RbacAuthorizer } from '../../../src/rbac/authorizer.ts';
import { RBAC_RESOURCES } from '../../../src/rbac/types.ts';

const RBAC = 'rbac.authorization.k8s.io';
const bob = { username: 'bob', groups: ['system:authenticated'] };
const listPods = { kind: 'resource' as const, verb: 'list', group: '', resource: 'pods', namespace: 'default' };
const binding = {
  apiVersion: `${RBAC}/v1`,
  kind: 'RoleBinding',
  metadata: { name: 'bob', namespace: 'default' },
  roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'view' },
  subjects: [{ kind: 'User', name: 'bob', apiGroup: RBAC }],
};

test('the compiled policy is kept between decisions and dropped when an RBAC object is written', async () => {
  const { store, clusterId } = await createTestStore();
  let lists = 0;
  const counting = new Proxy(store, {
    get: (t, k) => (k === 'list' ? (...a: Parameters<typeof store.list>) => (lists++, t.list(...a)) : Reflect.get(t, k, t)),
  });
  const rbac = new RbacAuthorizer(counting, storeChangeFeed(store));
  assert.equal((await rbac.authorize(clusterId, bob, listPods)).allowed, false);
  for (let i = 0; i < 50; i++) await rbac.authorize(clusterId, bob, listPods);
  assert.equal(lists, 4, 'one load: the four RBAC lists');
  await store.create(clusterId, 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } });
  await rbac.authorize(clusterId, bob, listPods);
  assert.equal(lists, 4, 'other writes keep the policy');
  await store.create(clusterId, RBAC_RESOURCES.rolebindings, binding);
  assert.equal((await rbac.authorize(clusterId, bob, listPods)).allowed, true);
  assert.equal(lists, 8);
  // system:masters never needs the policy.
  await rbac.authorize('cls_other', { username: 'root', groups: ['system:masters'] }, listPods);
  assert.equal(lists, 8);
});

test('without a feed (Workers) a policy lives its max age', async () => {
  const { store, clusterId } = await createTestStore();
  let now = 0;
  const rbac = new RbacAuthorizer(store, undefined, { maxAgeMs: 1000, now: () => now });
  assert.equal((await rbac.authorize(clusterId, bob, listPods)).allowed, false);
  await store.create(clusterId, RBAC_RESOURCES.rolebindings, binding);
  assert.equal((await rbac.authorize(clusterId, bob, listPods)).allowed, false, 'stale within its age');
  now = 1001;
  assert.equal((await rbac.authorize(clusterId, bob, listPods)).allowed, true);
});
