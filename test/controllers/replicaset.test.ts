import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replicaSetController } from '../../src/controllers/replicaset/controller.ts';
import { requestDeletion } from '../../src/kube/deletion.ts';
import type { KubeObject } from '../../src/kube/types.ts';
import { controllerWorld, eventsFor, listAll, runUntilSettled } from './helpers/context.ts';
import { fakeKubelet, node } from './helpers/fake-kubelet.ts';

function replicaSet(name: string, replicas: number, labels: Record<string, string> = { app: name }): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } },
    },
  };
}

test('a ReplicaSet creates its pods with owner references, names and events, and reports status', async () => {
  const w = await controllerWorld();
  await w.store.create(w.clusterId, 'nodes', node('n1'));
  await w.store.create(w.clusterId, 'replicasets.apps', replicaSet('web', 3));
  await runUntilSettled(w, [replicaSetController, fakeKubelet()]);
  const pods = await listAll(w, 'pods', 'default');
  assert.equal(pods.length, 3);
  const rs = (await listAll(w, 'replicasets.apps'))[0];
  for (const p of pods) {
    assert.match(p.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(p.metadata.ownerReferences, [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    assert.equal(p.spec.schedulerName, 'default-scheduler');
  }
  assert.deepEqual(
    { replicas: rs.status.replicas, ready: rs.status.readyReplicas, available: rs.status.availableReplicas, observed: rs.status.observedGeneration },
    { replicas: 3, ready: 3, available: 3, observed: 1 },
  );
  const events = await eventsFor(w, 'web');
  assert.equal(events.filter((e) => e.reason === 'SuccessfulCreate').length, 3);
  assert.ok(events.every((e) => /^Created pod: web-/.test(e.message)));
});

test('a deleted pod is replaced and a converged ReplicaSet writes nothing', async () => {
  const w = await controllerWorld();
  await w.store.create(w.clusterId, 'nodes', node('n1'));
  await w.store.create(w.clusterId, 'replicasets.apps', replicaSet('web', 2));
  await runUntilSettled(w, [replicaSetController, fakeKubelet()]);
  const before = await listAll(w, 'pods');
  await requestDeletion(w.store, w.clusterId, 'pods', 'default', before[0].metadata.name!);
  await runUntilSettled(w, [replicaSetController, fakeKubelet()]);
  const after = await listAll(w, 'pods');
  assert.equal(after.length, 2);
  assert.ok(!after.some((p) => p.metadata.uid === before[0].metadata.uid));
  const commits = w.commits();
  await replicaSetController.reconcile(w.ctx);
  assert.equal(w.commits(), commits);
});

test('scale-down deletes the pods Kubernetes would pick first: pending before running', async () => {
  const w = await controllerWorld();
  await w.store.create(w.clusterId, 'nodes', node('n1'));
  await w.store.create(w.clusterId, 'replicasets.apps', replicaSet('web', 2));
  await runUntilSettled(w, [replicaSetController, fakeKubelet()]);
  const running = (await listAll(w, 'pods')).map((p) => p.metadata.uid);
  const rs = (await listAll(w, 'replicasets.apps'))[0];
  await w.store.update(w.clusterId, 'replicasets.apps', { ...rs, spec: { ...rs.spec, replicas: 4 } });
  await replicaSetController.reconcile(w.ctx); // two new pods stay Pending: no kubelet in this round
  const rs2 = (await listAll(w, 'replicasets.apps'))[0];
  await w.store.update(w.clusterId, 'replicasets.apps', { ...rs2, spec: { ...rs2.spec, replicas: 2 } });
  await replicaSetController.reconcile(w.ctx);
  const left = (await listAll(w, 'pods')).map((p) => p.metadata.uid);
  assert.deepEqual(left.sort(), running.sort());
});

test('orphans matching the selector are adopted; pods whose labels stop matching are released', async () => {
  const w = await controllerWorld();
  const orphan = await w.store.create(w.clusterId, 'pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'stray', namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'x' }] },
    status: { phase: 'Pending' },
  });
  await w.store.create(w.clusterId, 'replicasets.apps', replicaSet('web', 1));
  await replicaSetController.reconcile(w.ctx);
  const pods = await listAll(w, 'pods');
  assert.equal(pods.length, 1, 'the orphan counts toward replicas');
  assert.equal(pods[0].metadata.ownerReferences?.[0].name, 'web');
  const relabelled = { ...pods[0], metadata: { ...pods[0].metadata, labels: { app: 'other' } } };
  await w.store.update(w.clusterId, 'pods', relabelled);
  await replicaSetController.reconcile(w.ctx);
  const stray = await w.store.get(w.clusterId, 'pods', 'default', 'stray');
  assert.equal(stray?.metadata.ownerReferences, undefined);
  assert.equal(stray?.metadata.uid, orphan.metadata.uid);
  assert.equal((await listAll(w, 'pods')).length, 2, 'a replacement was created');
});

test('pods go through API admission: LimitRange defaults apply, a missing PriorityClass is FailedCreate and ReplicaFailure', async () => {
  const w = await controllerWorld();
  await w.store.create(w.clusterId, 'limitranges', {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'defaults', namespace: 'default' },
    spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '100m' }, default: { cpu: '200m' } }] },
  });
  await w.store.create(w.clusterId, 'replicasets.apps', replicaSet('web', 1));
  await replicaSetController.reconcile(w.ctx);
  const [pod] = await listAll(w, 'pods');
  assert.deepEqual(pod.spec.containers[0].resources, { requests: { cpu: '100m' }, limits: { cpu: '200m' } });
  assert.equal(pod.status.qosClass, 'Burstable');
  assert.equal(pod.spec.priority, 0);
  assert.ok(
    pod.spec.tolerations.some((t: { key: string; tolerationSeconds: number }) => t.key === 'node.kubernetes.io/not-ready' && t.tolerationSeconds === 300),
  );

  const bad = replicaSet('vip', 1);
  bad.spec.template.spec.priorityClassName = 'gold';
  await w.store.create(w.clusterId, 'replicasets.apps', bad);
  await replicaSetController.reconcile(w.ctx);
  const rs = await w.store.mustGet(w.clusterId, 'replicasets.apps', 'default', 'vip');
  const failure = rs.status.conditions.find((c: { type: string }) => c.type === 'ReplicaFailure');
  assert.equal(failure.reason, 'FailedCreate');
  assert.match(failure.message, /no PriorityClass with name gold was found/);
  const events = await eventsFor(w, 'vip');
  assert.ok(events.some((e) => e.type === 'Warning' && e.reason === 'FailedCreate' && e.message.startsWith('Error creating: pods "vip-')));
});
