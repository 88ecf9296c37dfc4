import { test } from 'node:test';
import assert from 'node:assert/strict';
import { daemonSetController } from '../../src/controllers/daemonset/controller.ts';
import { isPodActive, isPodReady } from '../../src/controllers/shared/pod-state.ts';
import type { KubeObject } from '../../src/kube/types.ts';
import { controllerWorld, listAll, runUntilSettled, type ControllerWorld } from './helpers/context.ts';
import { fakeKubelet, node } from './helpers/fake-kubelet.ts';

const controllers = [daemonSetController, fakeKubelet()];

function daemonSet(spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'agent:1' }], ...spec } },
    },
  };
}

async function setup(nodes: KubeObject[], ds = daemonSet()): Promise<ControllerWorld> {
  const w = await controllerWorld();
  for (const n of nodes) await w.store.create(w.clusterId, 'nodes', n);
  await w.store.create(w.clusterId, 'daemonsets.apps', ds);
  return w;
}

const podsByNode = async (w: ControllerWorld) => (await listAll(w, 'pods')).map((p) => p.spec.nodeName ?? '?').sort();

test('one pod per eligible node: nodeSelector and untolerated taints exclude nodes, cordoned nodes do not', async () => {
  const w = await setup(
    [
      node('a', { pool: 'x' }),
      node('b', { pool: 'x' }, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]),
      node('c', { pool: 'y' }),
      node('d', { pool: 'x' }, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]),
    ],
    daemonSet({ nodeSelector: { pool: 'x' } }),
  );
  await runUntilSettled(w, controllers);
  assert.deepEqual(await podsByNode(w), ['a', 'd']);
  const pod = (await listAll(w, 'pods'))[0];
  assert.match(pod.metadata.name!, /^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms, [
    { matchFields: [{ key: 'metadata.name', operator: 'In', values: [pod.spec.nodeName] }] },
  ]);
  const tolerated = pod.spec.tolerations.map((t: { key: string; effect: string }) => `${t.key}:${t.effect}`).sort();
  assert.deepEqual(tolerated, [
    'node.kubernetes.io/disk-pressure:NoSchedule',
    'node.kubernetes.io/memory-pressure:NoSchedule',
    'node.kubernetes.io/not-ready:NoExecute',
    'node.kubernetes.io/pid-pressure:NoSchedule',
    'node.kubernetes.io/unreachable:NoExecute',
    'node.kubernetes.io/unschedulable:NoSchedule',
  ]);
  const ds = await w.store.mustGet(w.clusterId, 'daemonsets.apps', 'kube-system', 'agent');
  assert.deepEqual(
    [
      ds.status.desiredNumberScheduled,
      ds.status.currentNumberScheduled,
      ds.status.numberReady,
      ds.status.numberAvailable,
      ds.status.updatedNumberScheduled,
      ds.status.numberMisscheduled,
    ],
    [2, 2, 2, 2, 2, 0],
  );
});

test('the DaemonSet follows nodes added to and removed from the pool', async () => {
  const w = await setup([node('a'), node('b')]);
  await runUntilSettled(w, controllers);
  assert.deepEqual(await podsByNode(w), ['a', 'b']);
  await w.store.create(w.clusterId, 'nodes', node('c'));
  await runUntilSettled(w, controllers);
  assert.deepEqual(await podsByNode(w), ['a', 'b', 'c']);
  await w.store.delete(w.clusterId, 'nodes', '', 'a');
  await runUntilSettled(w, controllers);
  assert.deepEqual(await podsByNode(w), ['b', 'c']);
  const ds = await w.store.mustGet(w.clusterId, 'daemonsets.apps', 'kube-system', 'agent');
  assert.equal(ds.status.desiredNumberScheduled, 2);
});

test('a NoExecute taint evicts the daemon pod; a NoSchedule taint added later does not', async () => {
  const w = await setup([node('a'), node('b')]);
  await runUntilSettled(w, controllers);
  const taint = async (name: string, effect: string) => {
    const n = await w.store.mustGet(w.clusterId, 'nodes', '', name);
    n.spec = { taints: [{ key: 'maintenance', value: 'yes', effect }] };
    await w.store.update(w.clusterId, 'nodes', n);
  };
  await taint('a', 'NoSchedule');
  await taint('b', 'NoExecute');
  await runUntilSettled(w, controllers);
  assert.deepEqual(await podsByNode(w), ['a']);
  const ds = await w.store.mustGet(w.clusterId, 'daemonsets.apps', 'kube-system', 'agent');
  assert.equal(ds.status.desiredNumberScheduled, 0);
  assert.equal(ds.status.numberMisscheduled, 1);
});

test('a rolling update replaces pods node by node, never more than maxUnavailable nodes without a ready pod', async () => {
  const w = await setup([node('a'), node('b'), node('c'), node('d')]);
  await runUntilSettled(w, controllers);
  const pods = new Map<string, KubeObject>((await listAll(w, 'pods')).map((p) => [p.metadata.uid!, p]));
  const violations: string[] = [];
  w.store.onCommit((_c, events) => {
    for (const e of events) {
      if (e.resource !== 'pods') continue;
      if (e.type === 'DELETED') pods.delete(e.object.metadata.uid!);
      else pods.set(e.object.metadata.uid!, e.object);
    }
    const covered = new Set([...pods.values()].filter((p) => isPodActive(p) && isPodReady(p)).map((p) => p.spec.nodeName));
    if (4 - covered.size > 1) violations.push(`${4 - covered.size} nodes without a ready pod`);
  });
  const ds = await w.store.mustGet(w.clusterId, 'daemonsets.apps', 'kube-system', 'agent');
  ds.spec.template.spec.containers[0].image = 'agent:2';
  await w.store.update(w.clusterId, 'daemonsets.apps', ds);
  await runUntilSettled(w, controllers);
  assert.deepEqual(violations, []);
  const after = await listAll(w, 'pods');
  assert.equal(after.length, 4);
  assert.ok(after.every((p) => p.spec.containers[0].image === 'agent:2'));
  const done = await w.store.mustGet(w.clusterId, 'daemonsets.apps', 'kube-system', 'agent');
  assert.equal(done.status.updatedNumberScheduled, 4);
  assert.equal(done.status.observedGeneration, 2);
  assert.equal((await listAll(w, 'controllerrevisions.apps')).length, 2);
});
