import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deploymentController } from '../../src/controllers/deployment/controller.ts';
import { garbageCollector } from '../../src/controllers/garbage-collector/controller.ts';
import { namespaceController } from '../../src/controllers/namespace/controller.ts';
import { replicaSetController } from '../../src/controllers/replicaset/controller.ts';
import { requestDeletion } from '../../src/kube/deletion.ts';
import { isoTime } from '../../src/lib/clock.ts';
import type { KubeObject } from '../../src/kube/types.ts';
import { controllerWorld, listAll, runUntilSettled, type ControllerWorld } from './helpers/context.ts';
import { fakeKubelet, node } from './helpers/fake-kubelet.ts';

const controllers = [deploymentController, replicaSetController, garbageCollector, namespaceController, fakeKubelet()];

function deployment(name: string, namespace = 'default'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'web:1' }] } },
    },
  };
}

async function running(): Promise<ControllerWorld> {
  const w = await controllerWorld();
  await w.store.create(w.clusterId, 'nodes', node('n1'));
  await w.store.create(w.clusterId, 'deployments.apps', deployment('web'));
  await runUntilSettled(w, controllers);
  assert.equal((await listAll(w, 'pods')).length, 3);
  return w;
}

test('background deletion: the owner goes at once, then its ReplicaSets and pods', async () => {
  const w = await running();
  const r = await requestDeletion(w.store, w.clusterId, 'deployments.apps', 'default', 'web');
  assert.equal(r.deleted, true);
  await runUntilSettled(w, controllers);
  assert.deepEqual([(await listAll(w, 'replicasets.apps')).length, (await listAll(w, 'pods')).length], [0, 0]);
});

test('foreground deletion: the owner stays until every blocking dependent is gone', async () => {
  const w = await running();
  const order: string[] = [];
  w.store.onCommit((_c, events) => {
    for (const e of events) if (e.type === 'DELETED') order.push(e.resource);
  });
  const r = await requestDeletion(w.store, w.clusterId, 'deployments.apps', 'default', 'web', { propagationPolicy: 'Foreground' });
  assert.equal(r.deleted, false);
  assert.deepEqual(r.object.metadata.finalizers, ['foregroundDeletion']);
  await runUntilSettled(w, controllers);
  assert.equal((await listAll(w, 'deployments.apps')).length, 0);
  assert.equal(order.filter((x) => x !== 'events').at(-1), 'deployments.apps', 'the Deployment is deleted last');
  assert.ok(order.indexOf('replicasets.apps') > order.lastIndexOf('pods'), 'the ReplicaSet waits for its pods');
});

test('orphan deletion: dependents lose the owner reference and stay', async () => {
  const w = await running();
  const [rs] = await listAll(w, 'replicasets.apps');
  await requestDeletion(w.store, w.clusterId, 'deployments.apps', 'default', 'web', { propagationPolicy: 'Orphan' });
  await runUntilSettled(w, [garbageCollector, replicaSetController, fakeKubelet()]);
  assert.equal((await listAll(w, 'deployments.apps')).length, 0);
  const kept = await w.store.mustGet(w.clusterId, 'replicasets.apps', 'default', rs.metadata.name!);
  assert.equal(kept.metadata.ownerReferences, undefined);
  assert.equal((await listAll(w, 'pods')).length, 3);
});

test('a dependent with another live owner only drops the reference to the vanished one', async () => {
  const w = await controllerWorld();
  const a = await w.store.create(w.clusterId, 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default' } });
  await w.store.create(w.clusterId, 'configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'dep',
      namespace: 'default',
      ownerReferences: [
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'a', uid: a.metadata.uid! },
        { apiVersion: 'v1', kind: 'ConfigMap', name: 'gone', uid: 'no-such-uid' },
      ],
    },
  });
  await runUntilSettled(w, [garbageCollector]);
  const dep = await w.store.mustGet(w.clusterId, 'configmaps', 'default', 'dep');
  assert.deepEqual(
    dep.metadata.ownerReferences?.map((r) => r.name),
    ['a'],
  );
  await w.store.delete(w.clusterId, 'configmaps', 'default', 'a');
  await runUntilSettled(w, [garbageCollector]);
  assert.equal(await w.store.get(w.clusterId, 'configmaps', 'default', 'dep'), undefined);
});

test('deleting a namespace empties it, shows Terminating, then removes it', async () => {
  const w = await controllerWorld();
  await w.store.create(w.clusterId, 'nodes', node('n1'));
  await w.store.create(w.clusterId, 'namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'team' },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  await w.store.create(w.clusterId, 'deployments.apps', deployment('api', 'team'));
  await w.store.create(w.clusterId, 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'team' } });
  await runUntilSettled(w, controllers);
  assert.equal((await listAll(w, 'pods', 'team')).length, 3);
  const phases: string[] = [];
  w.store.onCommit((_c, events) => {
    for (const e of events) if (e.resource === 'namespaces') phases.push(e.object.status?.phase);
  });
  // What the API does on DELETE of a namespace with the kubernetes finalizer.
  const ns = await w.store.mustGet(w.clusterId, 'namespaces', '', 'team');
  await w.store.update(w.clusterId, 'namespaces', {
    ...ns,
    metadata: { ...ns.metadata, deletionTimestamp: isoTime(w.clock.now()) },
    status: { phase: 'Terminating' },
  });
  await runUntilSettled(w, controllers);
  assert.equal(await w.store.get(w.clusterId, 'namespaces', '', 'team'), undefined);
  for (const r of ['pods', 'replicasets.apps', 'deployments.apps', 'configmaps']) assert.equal((await listAll(w, r, 'team')).length, 0, r);
  assert.ok(phases.every((p) => p === 'Terminating'));
});
