import { test } from 'node:test';
import assert from 'node:assert/strict';
import { node, world } from './world.ts';
import { nodeHeartbeatController } from '../../src/kubelet/node-heartbeat.ts';
import { nodeLifecycleController } from '../../src/kubelet/node-lifecycle.ts';
import { taintEvictionController } from '../../src/kubelet/taint-eviction.ts';
import { kubeletController } from '../../src/kubelet/controller.ts';
import { failNode, recoverNode } from '../../src/kubelet/chaos.ts';
import { servedLease, servedNode } from '../../src/kube/registry/node-heartbeat-view.ts';
import { replicaSetController } from '../../src/controllers/replicaset/controller.ts';
import { deploymentController } from '../../src/controllers/deployment/controller.ts';
import { schedulerController } from '../../src/controllers/scheduler.ts';

const nodeControllers = [nodeHeartbeatController, nodeLifecycleController, taintEvictionController, kubeletController];

test('nodes get a pod CIDR, an address, healthy conditions and a Lease renewed every 10 s (served from the clock)', async () => {
  const w = await world();
  await w.create('nodes', node('a'));
  await w.create('nodes', node('b'));
  await w.settle(nodeControllers);
  const a = (await w.get('nodes', '', 'a'))!;
  const b = (await w.get('nodes', '', 'b'))!;
  assert.deepEqual([a.spec.podCIDR, b.spec.podCIDR], ['10.244.0.0/24', '10.244.1.0/24']);
  assert.deepEqual(a.spec.podCIDRs, ['10.244.0.0/24']);
  assert.equal(a.status.addresses.find((x: { type: string }) => x.type === 'InternalIP').address, '172.20.0.10');
  assert.deepEqual(
    a.status.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`),
    ['MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False', 'Ready=True'],
  );
  assert.equal(a.status.nodeInfo.kubeletVersion, 'v1.32.0');
  const lease = (await w.get('leases.coordination.k8s.io', 'kube-node-lease', 'a'))!;
  assert.equal(lease.spec.holderIdentity, 'a');
  assert.equal(lease.spec.leaseDurationSeconds, 40);
  assert.equal(lease.spec.renewTime, '2026-01-01T00:00:00.000000Z');
  assert.equal(lease.metadata.ownerReferences![0].uid, a.metadata.uid);
  assert.equal(w.results.get('node-heartbeat')!.requeueAfterMs, undefined, 'nothing is due: renewals are served, not written');

  w.clock.advance(10_000);
  await w.settle(nodeControllers);
  const served = servedLease((await w.get('leases.coordination.k8s.io', 'kube-node-lease', 'a'))!, (await w.get('nodes', '', 'a'))!, w.clock.now());
  assert.equal(served.spec.renewTime, '2026-01-01T00:00:10.000000Z');
  const heartbeat = servedNode((await w.get('nodes', '', 'a'))!, w.clock.now()).status.conditions[3].lastHeartbeatTime;
  assert.equal(heartbeat, '2026-01-01T00:00:00Z', 'node status is re-posted only every 5 minutes');
});

test('a failed node goes Unknown after 40 s, its pods are evicted after 300 s and replaced elsewhere; recovery clears it', async () => {
  const w = await world();
  const all = [deploymentController, replicaSetController, schedulerController, ...nodeControllers];
  await w.create('nodes', node('a'));
  await w.create('nodes', node('b'));
  await w.settle(all);
  await w.create('deployments.apps', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 4,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } }] },
      },
    },
  });
  await w.run(all, 10_000);
  const before = await w.list('pods', 'default');
  assert.equal(before.length, 4);
  assert.ok(before.every((p) => p.status.phase === 'Running'));
  const victims = before.filter((p) => p.spec.nodeName === 'a').map((p) => p.metadata.name);
  assert.ok(victims.length > 0, 'some pods run on node a');

  await failNode(w.store, w.clusterId, 'a');
  await w.run(all, 30_000, 5000);
  assert.equal(
    (await w.get('nodes', '', 'a'))!.status.conditions.find((c: { type: string }) => c.type === 'Ready').status,
    'True',
    'still Ready within the grace period',
  );
  await w.run(all, 15_000, 5000);
  const lost = (await w.get('nodes', '', 'a'))!;
  const ready = lost.status.conditions.find((c: { type: string }) => c.type === 'Ready');
  assert.deepEqual([ready.status, ready.reason, ready.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']);
  assert.deepEqual(
    lost.spec.taints.map((t: { key: string; effect: string }) => `${t.key}:${t.effect}`),
    ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute'],
  );
  const notReady = (await w.get('pods', 'default', victims[0]!))!;
  assert.equal(notReady.status.conditions.find((c: { type: string }) => c.type === 'Ready').status, 'False');
  assert.ok((await w.events('a')).includes('NodeNotReady: Node a status is now: NodeNotReady'));

  // 300 s of default toleration, counted from the taint.
  await w.run(all, 290_000, 10_000);
  assert.equal((await w.get('pods', 'default', victims[0]!))!.metadata.deletionTimestamp, undefined);
  await w.run(all, 20_000, 5000);
  const evicted = (await w.get('pods', 'default', victims[0]!))!;
  assert.ok(evicted.metadata.deletionTimestamp, 'evicted pods are terminating');
  assert.equal(evicted.status.conditions.find((c: { type: string }) => c.type === 'DisruptionTarget').reason, 'DeletionByTaintManager');
  assert.ok((await w.events(victims[0]!)).includes(`TaintManagerEviction: Marking for deletion Pod default/${victims[0]}`));
  const live = (await w.list('pods', 'default')).filter((p) => !p.metadata.deletionTimestamp);
  assert.equal(live.length, 4);
  assert.ok(
    live.every((p) => p.spec.nodeName === 'b' && p.status.phase === 'Running'),
    'replacements run on node b',
  );

  await recoverNode(w.store, w.clusterId, 'a');
  await w.run(all, 5000);
  const back = (await w.get('nodes', '', 'a'))!;
  assert.equal(back.status.conditions.find((c: { type: string }) => c.type === 'Ready').status, 'True');
  assert.deepEqual(back.spec.taints ?? [], []);
  assert.equal((await w.list('pods', 'default')).length, 4, 'the kubelet of the recovered node finished the evictions');
});

test('a cordoned node is tainted unschedulable; uncordoning removes the taint', async () => {
  const w = await world();
  await w.create('nodes', node('a'));
  await w.settle(nodeControllers);
  const a = (await w.get('nodes', '', 'a'))!;
  await w.store.update(w.clusterId, 'nodes', { ...a, spec: { ...a.spec, unschedulable: true } });
  await w.settle(nodeControllers);
  const cordoned = (await w.get('nodes', '', 'a'))!;
  assert.deepEqual(
    cordoned.spec.taints.map((t: { key: string; effect: string }) => `${t.key}:${t.effect}`),
    ['node.kubernetes.io/unschedulable:NoSchedule'],
  );
  await w.store.update(w.clusterId, 'nodes', { ...cordoned, spec: { ...cordoned.spec, unschedulable: false } });
  await w.settle(nodeControllers);
  assert.deepEqual((await w.get('nodes', '', 'a'))!.spec.taints, []);
});

test('a node that recovers within the toleration keeps its pods, which turn Ready again', async () => {
  const w = await world();
  await w.create('nodes', node('a'));
  await w.settle(nodeControllers);
  await w.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: { nodeName: 'a', containers: [{ name: 'c', image: 'nginx:1.27' }] },
  });
  await w.run(nodeControllers, 10_000);
  await failNode(w.store, w.clusterId, 'a');
  await w.run(nodeControllers, 60_000, 5000);
  const readyOf = async () => (await w.get('pods', 'default', 'p'))!.status.conditions.find((c: { type: string }) => c.type === 'Ready').status;
  assert.equal(await readyOf(), 'False');
  await recoverNode(w.store, w.clusterId, 'a');
  await w.run(nodeControllers, 5000);
  assert.equal(await readyOf(), 'True');
  assert.equal((await w.get('pods', 'default', 'p'))!.metadata.deletionTimestamp, undefined);
});
