import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statefulSetController } from '../../src/controllers/statefulset/controller.ts';
import { isPodRunningAndReady } from '../../src/controllers/shared/pod-state.ts';
import { requestDeletion } from '../../src/kube/deletion.ts';
import type { KubeObject } from '../../src/kube/types.ts';
import { controllerWorld, eventsFor, listAll, runUntilSettled, type ControllerWorld } from './helpers/context.ts';
import { fakeKubelet, node } from './helpers/fake-kubelet.ts';
import { loadExample } from './helpers/manifests.ts';

const controllers = [statefulSetController, fakeKubelet()];

async function tkbSts(edit: (sts: KubeObject) => void = () => {}): Promise<ControllerWorld> {
  const w = await controllerWorld();
  await w.store.create(w.clusterId, 'nodes', node('n1'));
  const sts = loadExample('tkb-sts.yaml').find((o) => o.kind === 'StatefulSet')!;
  edit(sts);
  await w.store.create(w.clusterId, 'statefulsets.apps', sts);
  return w;
}

async function editSts(w: ControllerWorld, change: (s: KubeObject) => void): Promise<void> {
  const s = await w.store.mustGet(w.clusterId, 'statefulsets.apps', 'default', 'tkb-sts');
  change(s);
  await w.store.update(w.clusterId, 'statefulsets.apps', s);
}

const podNames = async (w: ControllerWorld) => (await listAll(w, 'pods')).map((p) => p.metadata.name).sort();

test('tkb-sts comes up strictly in order, each PVC created before its pod, with stable identity', async () => {
  const w = await tkbSts();
  const pods = new Map<string, KubeObject>();
  const claims = new Set<string>();
  const violations: string[] = [];
  w.store.onCommit((_c, events) => {
    for (const e of events) {
      if (e.resource === 'persistentvolumeclaims' && e.type === 'ADDED') claims.add(e.object.metadata.name!);
      if (e.resource !== 'pods') continue;
      const name = e.object.metadata.name!;
      if (e.type === 'ADDED') {
        const ord = Number(name.split('-').pop());
        if (!claims.has(`webroot-tkb-sts-${ord}`)) violations.push(`${name} before its claim`);
        for (let i = 0; i < ord; i++) {
          const prev = pods.get(`tkb-sts-${i}`);
          if (!prev || !isPodRunningAndReady(prev)) violations.push(`${name} created before tkb-sts-${i} was Running and Ready`);
        }
      }
      if (e.type === 'DELETED') pods.delete(name);
      else pods.set(name, e.object);
    }
  });
  await runUntilSettled(w, controllers);
  assert.deepEqual(violations, []);
  assert.deepEqual(await podNames(w), ['tkb-sts-0', 'tkb-sts-1', 'tkb-sts-2']);
  const pvcs = await listAll(w, 'persistentvolumeclaims');
  assert.deepEqual(pvcs.map((c) => c.metadata.name).sort(), ['webroot-tkb-sts-0', 'webroot-tkb-sts-1', 'webroot-tkb-sts-2']);
  assert.equal(pvcs[0].spec.storageClassName, 'flash');
  assert.deepEqual(pvcs[0].metadata.labels, { app: 'web' });
  const p1 = await w.store.mustGet(w.clusterId, 'pods', 'default', 'tkb-sts-1');
  assert.equal(p1.spec.hostname, 'tkb-sts-1');
  assert.equal(p1.spec.subdomain, 'dullahan');
  assert.equal(p1.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'tkb-sts-1');
  assert.equal(p1.metadata.labels?.['apps.kubernetes.io/pod-index'], '1');
  assert.deepEqual(
    p1.spec.volumes.find((v: { name: string }) => v.name === 'webroot'),
    { name: 'webroot', persistentVolumeClaim: { claimName: 'webroot-tkb-sts-1' } },
  );
  const sts = await w.store.mustGet(w.clusterId, 'statefulsets.apps', 'default', 'tkb-sts');
  assert.deepEqual(
    [sts.status.replicas, sts.status.readyReplicas, sts.status.currentReplicas, sts.status.updatedReplicas, sts.status.availableReplicas],
    [3, 3, 3, 3, 3],
  );
  assert.equal(sts.status.currentRevision, sts.status.updateRevision);
  assert.equal(p1.metadata.labels?.['controller-revision-hash'], sts.status.updateRevision);
  const revs = await listAll(w, 'controllerrevisions.apps');
  assert.deepEqual(
    revs.map((r) => [r.metadata.name, r.revision]),
    [[sts.status.updateRevision, 1]],
  );
  const events = (await eventsFor(w, 'tkb-sts')).map((e) => e.message);
  assert.ok(events.includes('create Claim webroot-tkb-sts-0 Pod tkb-sts-0 in StatefulSet tkb-sts success'));
  assert.ok(events.includes('create Pod tkb-sts-0 in StatefulSet tkb-sts successful'));
});

test('a deleted StatefulSet pod comes back under the same name with the same PVC', async () => {
  const w = await tkbSts();
  await runUntilSettled(w, controllers);
  const claimBefore = await w.store.mustGet(w.clusterId, 'persistentvolumeclaims', 'default', 'webroot-tkb-sts-1');
  const podBefore = await w.store.mustGet(w.clusterId, 'pods', 'default', 'tkb-sts-1');
  await requestDeletion(w.store, w.clusterId, 'pods', 'default', 'tkb-sts-1');
  await runUntilSettled(w, controllers);
  const podAfter = await w.store.mustGet(w.clusterId, 'pods', 'default', 'tkb-sts-1');
  assert.notEqual(podAfter.metadata.uid, podBefore.metadata.uid);
  const claimAfter = await w.store.mustGet(w.clusterId, 'persistentvolumeclaims', 'default', 'webroot-tkb-sts-1');
  assert.equal(claimAfter.metadata.uid, claimBefore.metadata.uid);
  assert.equal((await listAll(w, 'persistentvolumeclaims')).length, 3);
});

test('scale-down removes the highest ordinals first, one at a time, and keeps their claims', async () => {
  const w = await tkbSts();
  await runUntilSettled(w, controllers);
  const deleted: string[] = [];
  w.store.onCommit((_c, events) => {
    for (const e of events) if (e.resource === 'pods' && e.type === 'DELETED') deleted.push(e.object.metadata.name!);
  });
  await editSts(w, (s) => (s.spec.replicas = 1));
  await runUntilSettled(w, controllers);
  assert.deepEqual(deleted, ['tkb-sts-2', 'tkb-sts-1']);
  assert.deepEqual(await podNames(w), ['tkb-sts-0']);
  assert.equal((await listAll(w, 'persistentvolumeclaims')).length, 3);
  // Scaling back reuses the kept claims.
  const claim2 = await w.store.mustGet(w.clusterId, 'persistentvolumeclaims', 'default', 'webroot-tkb-sts-2');
  await editSts(w, (s) => (s.spec.replicas = 3));
  await runUntilSettled(w, controllers);
  assert.equal((await w.store.mustGet(w.clusterId, 'persistentvolumeclaims', 'default', 'webroot-tkb-sts-2')).metadata.uid, claim2.metadata.uid);
});

test('whenScaled: Delete hands condemned claims to their pod so they go with it', async () => {
  const w = await tkbSts((s) => (s.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Retain', whenScaled: 'Delete' }));
  await runUntilSettled(w, controllers);
  const pod2 = await w.store.mustGet(w.clusterId, 'pods', 'default', 'tkb-sts-2');
  await editSts(w, (s) => (s.spec.replicas = 2));
  await statefulSetController.reconcile(w.ctx);
  const claim = await w.store.mustGet(w.clusterId, 'persistentvolumeclaims', 'default', 'webroot-tkb-sts-2');
  assert.deepEqual(
    claim.metadata.ownerReferences?.map((r) => [r.kind, r.uid]),
    [['Pod', pod2.metadata.uid]],
  );
  const kept = await w.store.mustGet(w.clusterId, 'persistentvolumeclaims', 'default', 'webroot-tkb-sts-0');
  assert.equal(kept.metadata.ownerReferences, undefined);
});

test('a RollingUpdate with partition updates from the highest ordinal down to the partition only', async () => {
  const w = await tkbSts();
  await runUntilSettled(w, controllers);
  const order: string[] = [];
  w.store.onCommit((_c, events) => {
    for (const e of events) if (e.resource === 'pods' && e.type === 'ADDED') order.push(e.object.metadata.name!);
  });
  await editSts(w, (s) => {
    s.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 1 } };
    s.spec.template.spec.containers[0].image = 'nginx:1.27';
  });
  await runUntilSettled(w, controllers);
  assert.deepEqual(order, ['tkb-sts-2', 'tkb-sts-1']);
  const images = Object.fromEntries((await listAll(w, 'pods')).map((p) => [p.metadata.name, p.spec.containers[0].image]));
  assert.deepEqual(images, { 'tkb-sts-0': 'nginx:latest', 'tkb-sts-1': 'nginx:1.27', 'tkb-sts-2': 'nginx:1.27' });
  const sts = await w.store.mustGet(w.clusterId, 'statefulsets.apps', 'default', 'tkb-sts');
  assert.notEqual(sts.status.currentRevision, sts.status.updateRevision);
  assert.deepEqual([sts.status.currentReplicas, sts.status.updatedReplicas], [1, 2]);
  // Lifting the partition finishes the rollout; the update revision becomes current.
  await editSts(w, (s) => (s.spec.updateStrategy.rollingUpdate.partition = 0));
  await runUntilSettled(w, controllers);
  const done = await w.store.mustGet(w.clusterId, 'statefulsets.apps', 'default', 'tkb-sts');
  assert.equal(done.status.currentRevision, done.status.updateRevision);
  assert.equal(done.status.currentReplicas, 3);
  assert.equal((await listAll(w, 'controllerrevisions.apps')).length, 2);
});

test('Parallel creates every pod without waiting', async () => {
  const w = await tkbSts((s) => (s.spec.podManagementPolicy = 'Parallel'));
  await statefulSetController.reconcile(w.ctx);
  assert.deepEqual(await podNames(w), ['tkb-sts-0', 'tkb-sts-1', 'tkb-sts-2']);
});
