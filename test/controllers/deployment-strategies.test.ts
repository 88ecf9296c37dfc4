import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deploymentController } from '../../src/controllers/deployment/controller.ts';
import { replicaSetController } from '../../src/controllers/replicaset/controller.ts';
import type { KubeObject } from '../../src/kube/types.ts';
import { controllerWorld, listAll, runUntilSettled, type ControllerWorld } from './helpers/context.ts';
import { fakeKubelet, node } from './helpers/fake-kubelet.ts';
import { PodWatch } from './helpers/pod-watch.ts';

function deployment(name: string, spec: Record<string, unknown>, image = 'app:1'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
      ...spec,
    },
  };
}

/** New pods of image `blocked` never start, so a rollout to it gets stuck. */
function world(blocked?: string) {
  return { controllers: [deploymentController, replicaSetController, fakeKubelet({ mayStart: (p) => p.spec.containers[0].image !== blocked })] };
}

async function setup(d: KubeObject): Promise<ControllerWorld> {
  const w = await controllerWorld();
  await w.store.create(w.clusterId, 'nodes', node('n1'));
  await w.store.create(w.clusterId, 'deployments.apps', d);
  return w;
}

async function edit(w: ControllerWorld, name: string, change: (d: KubeObject) => void): Promise<void> {
  const d = await w.store.mustGet(w.clusterId, 'deployments.apps', 'default', name);
  change(d);
  await w.store.update(w.clusterId, 'deployments.apps', d);
}

const get = (w: ControllerWorld, name: string) => w.store.mustGet(w.clusterId, 'deployments.apps', 'default', name);
const progressing = (d: KubeObject) => d.status?.conditions?.find((c: { type: string }) => c.type === 'Progressing');

test('Recreate never runs old and new pods at the same time', async () => {
  const { controllers } = world();
  const w = await setup(deployment('rec', { strategy: { type: 'Recreate' } }));
  await runUntilSettled(w, controllers);
  const watch = new PodWatch(w);
  for (const p of await listAll(w, 'pods')) watch.pods.set(p.metadata.uid!, p);
  watch.invariant((pods) => {
    const images = new Set(pods.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec.containers[0].image));
    return images.size > 1 ? `mixed: ${[...images].join(',')}` : undefined;
  });
  await edit(w, 'rec', (d) => (d.spec.template.spec.containers[0].image = 'app:2'));
  await runUntilSettled(w, controllers);
  assert.deepEqual(watch.violations, []);
  const pods = await listAll(w, 'pods');
  assert.deepEqual(
    pods.map((p) => p.spec.containers[0].image),
    ['app:2', 'app:2', 'app:2'],
  );
  assert.equal((await get(w, 'rec')).status.updatedReplicas, 3);
});

test('a paused Deployment scales but does not roll out; resuming rolls out', async () => {
  const { controllers } = world();
  const w = await setup(deployment('p', {}));
  await runUntilSettled(w, controllers);
  await edit(w, 'p', (d) => {
    d.spec.paused = true;
    d.spec.template.spec.containers[0].image = 'app:2';
  });
  await runUntilSettled(w, controllers);
  assert.equal((await listAll(w, 'replicasets.apps')).length, 1, 'no new ReplicaSet while paused');
  assert.deepEqual(
    { status: progressing(await get(w, 'p')).status, reason: progressing(await get(w, 'p')).reason, message: progressing(await get(w, 'p')).message },
    { status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' },
  );
  await edit(w, 'p', (d) => (d.spec.replicas = 5));
  await runUntilSettled(w, controllers);
  assert.equal((await listAll(w, 'pods')).length, 5);
  await edit(w, 'p', (d) => (d.spec.paused = false));
  await runUntilSettled(w, controllers);
  const pods = await listAll(w, 'pods');
  assert.equal(pods.length, 5);
  assert.ok(pods.every((p) => p.spec.containers[0].image === 'app:2'));
  assert.equal(progressing(await get(w, 'p')).reason, 'NewReplicaSetAvailable');
});

test('a stuck rollout reports ProgressDeadlineExceeded after progressDeadlineSeconds and asks to be woken for it', async () => {
  const { controllers } = world('app:bad');
  const w = await setup(deployment('stuck', { progressDeadlineSeconds: 30 }));
  await runUntilSettled(w, controllers);
  await edit(w, 'stuck', (d) => (d.spec.template.spec.containers[0].image = 'app:bad'));
  await runUntilSettled(w, controllers);
  assert.equal(progressing(await get(w, 'stuck')).status, 'True');
  const wake = w.lastResults.get('deployment')?.requeueAfterMs;
  assert.ok(wake !== undefined && wake > 29_000 && wake <= 32_000, `requeueAfterMs ${wake}`);
  w.clock.advance(wake!);
  await runUntilSettled(w, controllers);
  const c = progressing(await get(w, 'stuck'));
  const rs = (await listAll(w, 'replicasets.apps')).find((r) => r.spec.template.spec.containers[0].image === 'app:bad')!;
  assert.deepEqual(
    { status: c.status, reason: c.reason, message: c.message },
    { status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rs.metadata.name}" has timed out progressing.` },
  );
});

test('scaling mid-rollout is proportional (10 → 15 with maxSurge 3: 3 to the old ReplicaSet, 2 to the new)', async () => {
  const { controllers } = world('app:bad');
  const w = await setup(deployment('prop', { replicas: 10, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
  await runUntilSettled(w, controllers);
  await edit(w, 'prop', (d) => (d.spec.template.spec.containers[0].image = 'app:bad'));
  await runUntilSettled(w, controllers);
  const sizes = async () => Object.fromEntries((await listAll(w, 'replicasets.apps')).map((r) => [r.spec.template.spec.containers[0].image, r.spec.replicas]));
  assert.deepEqual(await sizes(), { 'app:1': 8, 'app:bad': 5 });
  await edit(w, 'prop', (d) => (d.spec.replicas = 15));
  await runUntilSettled(w, controllers);
  assert.deepEqual(await sizes(), { 'app:1': 11, 'app:bad': 7 });
});

test('old ReplicaSets beyond revisionHistoryLimit are deleted, lowest revision first; change-cause is copied', async () => {
  const { controllers } = world();
  const w = await setup(deployment('hist', { revisionHistoryLimit: 1 }));
  await runUntilSettled(w, controllers);
  for (const v of ['2', '3', '4']) {
    await edit(w, 'hist', (d) => {
      d.spec.template.spec.containers[0].image = `app:${v}`;
      d.metadata.annotations = { ...(d.metadata.annotations ?? {}), 'kubernetes.io/change-cause': `set image app:${v}` };
    });
    await runUntilSettled(w, controllers);
  }
  const rss = await listAll(w, 'replicasets.apps');
  const byRevision = Object.fromEntries(
    rss.map((r) => [r.metadata.annotations!['deployment.kubernetes.io/revision'], r.metadata.annotations!['kubernetes.io/change-cause']]),
  );
  assert.deepEqual(byRevision, { '3': 'set image app:3', '4': 'set image app:4' });
});
