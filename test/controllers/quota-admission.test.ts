import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeTestApp, type KubeTestApp } from '../kube/helpers/app.ts';
import { replicaSetController } from '../../src/controllers/replicaset/controller.ts';
import type { ReconcileContext } from '../../src/controllers/runtime.ts';
import { storeEventRecorder } from '../../src/kube/events.ts';
import type { Logger } from '../../src/lib/logger.ts';
import type { KubeObject } from '../../src/kube/types.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

function reconcileContext(k: KubeTestApp): ReconcileContext {
  const now = () => k.clock.now();
  return { clusterId: k.clusterId, store: k.store, now, log: silent, events: storeEventRecorder(k.store, k.clusterId, now), trigger() {} };
}

const replicaSet = (name: string, replicas: number, cpu?: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'c', image: 'busybox', ...(cpu ? { resources: { requests: { cpu }, limits: { cpu } } } : {}) }] },
    },
  },
});

const quota = (hard: Record<string, string>) => ({ metadata: { name: 'q' }, spec: { hard } });
const pods = async (k: KubeTestApp) => (await k.store.list(k.clusterId, 'pods', { namespace: 'default' })).items;
const used = async (k: KubeTestApp) => (await k.store.get(k.clusterId, 'resourcequotas', 'default', 'q'))!.status?.used;

async function settle(ctx: ReconcileContext, rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await replicaSetController.reconcile(ctx);
}

test('a ReplicaSet creating pods in slow-start batches charges the quota once per pod and stops at its limit', async () => {
  const k = await kubeTestApp();
  assert.equal((await k.json('POST', '/api/v1/namespaces/default/resourcequotas', { body: quota({ pods: '6', 'requests.cpu': '2' }) })).status, 201);
  await k.store.create(k.clusterId, 'replicasets.apps', replicaSet('web', 10, '250m'));
  const ctx = reconcileContext(k);
  await settle(ctx);
  // Batches of 1, 2 and 3 (the 7th pod would exceed the pod count): 6 pods, 1500m.
  assert.equal((await pods(k)).length, 6);
  assert.deepEqual(await used(k), { pods: '6', 'requests.cpu': '1500m' });
  const rs = (await k.store.get(k.clusterId, 'replicasets.apps', 'default', 'web'))!;
  const failure = rs.status.conditions.find((c: any) => c.type === 'ReplicaFailure');
  assert.equal(failure.reason, 'FailedCreate');
  assert.match(failure.message, /^pods "web-[a-z0-9]{5}" is forbidden: exceeded quota: q, requested: pods=1, used: pods=6, limited: pods=6$/);
  const events = (await k.store.list(k.clusterId, 'events', { namespace: 'default' })).items.filter((e) => e.reason === 'FailedCreate');
  assert.ok(events.length >= 1 && events.every((e) => e.type === 'Warning' && String(e.message).startsWith('Error creating: pods "web-')));

  // A client's create meets the same usage: the namespace is full for it too.
  const extra = await k.json('POST', '/api/v1/namespaces/default/pods', {
    body: { metadata: { name: 'solo' }, spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '100m' } } }] } },
  });
  assert.equal(extra.status, 403);
  assert.match(extra.body.message, /exceeded quota: q, requested: pods=1, used: pods=6, limited: pods=6/);

  // A raised quota lets the rest in; LimitRange defaults apply to controller pods before quota sees them.
  await k.json('PUT', '/api/v1/namespaces/default/resourcequotas/q', {
    body: { ...quota({ pods: '20', 'requests.cpu': '10' }), metadata: { name: 'q', namespace: 'default' } },
  });
  await k.json('POST', '/api/v1/namespaces/default/limitranges', {
    body: { metadata: { name: 'lr' }, spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '100m' }, default: { cpu: '100m' } }] } },
  });
  await k.store.create(k.clusterId, 'replicasets.apps', replicaSet('plain', 2));
  await settle(ctx);
  const plain = (await pods(k)).filter((p) => p.metadata.labels?.app === 'plain');
  assert.equal(plain.length, 2);
  assert.deepEqual(plain[0].spec.containers[0].resources, { limits: { cpu: '100m' }, requests: { cpu: '100m' } });
  assert.equal((await pods(k)).filter((p) => p.metadata.labels?.app === 'web').length, 10);
  assert.deepEqual(await used(k), { pods: '12', 'requests.cpu': '2700m' }, '10 × 250m and 2 × 100m');
});

test('concurrent client creates and controller creates never exceed a quota, and its usage matches the pods', async () => {
  for (let round = 0; round < 5; round++) {
    const k = await kubeTestApp();
    await k.json('POST', '/api/v1/namespaces/default/resourcequotas', { body: quota({ pods: '12' }) });
    await k.store.create(k.clusterId, 'replicasets.apps', replicaSet('web', 10));
    const ctx = reconcileContext(k);
    const clients = Array.from({ length: 10 }, (_, i) =>
      k.json('POST', '/api/v1/namespaces/default/pods', {
        body: { metadata: { name: `client-${i}` }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      }),
    );
    const controller = (async () => {
      for (let i = 0; i < 10; i++) await replicaSetController.reconcile(ctx);
    })();
    const answers = await Promise.all(clients);
    await controller;
    assert.ok(
      answers.every((a) => a.status === 201 || (a.status === 403 && /exceeded quota: q/.test(a.body.message))),
      JSON.stringify(answers.map((a) => a.body?.message)),
    );
    const all = await pods(k);
    assert.equal(all.length, 12, `round ${round}: the quota admits exactly 12 pods`);
    assert.equal((await used(k))?.pods, '12', `round ${round}: usage counts each pod once`);
  }
});
