import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceQuotaController } from '../../src/controllers/resourcequota/controller.ts';
import { requestDeletion } from '../../src/kube/deletion.ts';
import type { KubeObject } from '../../src/kube/types.ts';
import { controllerWorld, runUntilSettled, type ControllerWorld } from './helpers/context.ts';

const pod = (name: string, cpu: string, nodeName?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'team' },
  spec: {
    ...(nodeName ? { nodeName } : {}),
    containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu, memory: '64Mi' }, limits: { cpu, memory: '64Mi' } } }],
  },
  status: { phase: 'Running' },
});

const HARD = { pods: '5', 'count/pods': '10', 'requests.cpu': '2', 'limits.memory': '1Gi', configmaps: '4', 'count/deployments.apps': '2', services: '3' };
const usedOf = async (w: ControllerWorld) => (await w.store.get(w.clusterId, 'resourcequotas', 'team', 'q'))!.status;

async function world(): Promise<ControllerWorld> {
  const w = await controllerWorld();
  await w.store.create(w.clusterId, 'resourcequotas', {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'q', namespace: 'team' },
    spec: { hard: HARD },
  });
  return w;
}

test('status.used is recounted from live objects: finished pods and deleted objects give quota back', async () => {
  const w = await world();
  await w.store.create(w.clusterId, 'pods', pod('a', '500m'));
  await w.store.create(w.clusterId, 'pods', pod('b', '1'));
  await w.store.create(w.clusterId, 'pods', { ...pod('other-ns', '1'), metadata: { name: 'other-ns', namespace: 'default' } });
  await w.store.create(w.clusterId, 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'team' } });
  await w.store.create(w.clusterId, 'deployments.apps', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'team' }, spec: {} });
  await runUntilSettled(w, [resourceQuotaController]);
  let status = await usedOf(w);
  assert.deepEqual(status.hard, HARD);
  assert.deepEqual(status.used, {
    pods: '2',
    'count/pods': '2',
    'requests.cpu': '1500m',
    'limits.memory': '128Mi',
    configmaps: '1',
    'count/deployments.apps': '1',
    services: '0',
  });

  // A pod that finishes keeps counting as an object, not as a running pod.
  const b = (await w.store.get(w.clusterId, 'pods', 'team', 'b'))!;
  await w.store.update(w.clusterId, 'pods', { ...b, status: { phase: 'Succeeded' } });
  await w.store.delete(w.clusterId, 'configmaps', 'team', 'cm');
  await runUntilSettled(w, [resourceQuotaController]);
  status = await usedOf(w);
  assert.deepEqual(status.used, {
    pods: '1',
    'count/pods': '2',
    'requests.cpu': '500m',
    'limits.memory': '64Mi',
    configmaps: '0',
    'count/deployments.apps': '1',
    services: '0',
  });

  const commits = w.commits();
  await runUntilSettled(w, [resourceQuotaController]);
  assert.equal(w.commits(), commits, 'an up-to-date status is not rewritten');
  assert.equal(w.lastResults.get('resourcequota')?.requeueAfterMs, 5 * 60_000, 'a full recount every 5 minutes');
});

test('a pod stuck terminating on a lost node stops holding quota once its grace period is over', async () => {
  const w = await world();
  await w.store.create(w.clusterId, 'pods', pod('stuck', '1', 'gone-node'));
  const marked = await requestDeletion(w.store, w.clusterId, 'pods', 'team', 'stuck', { gracePeriodSeconds: 30 });
  assert.equal(marked.deleted, false, 'a bound pod is only marked; its kubelet never finishes it');
  await runUntilSettled(w, [resourceQuotaController]);
  assert.equal((await usedOf(w)).used['requests.cpu'], '1');
  const wake = w.lastResults.get('resourcequota')?.requeueAfterMs;
  assert.ok(wake !== undefined && wake > 30_000 && wake <= 60_001, `wakes when the grace runs out (${wake})`);
  w.clock.advance(wake);
  await runUntilSettled(w, [resourceQuotaController]);
  const status = await usedOf(w);
  assert.deepEqual([status.used.pods, status.used['count/pods'], status.used['requests.cpu']], ['0', '1', '0']);
});
