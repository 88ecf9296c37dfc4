import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestStore } from '../../helpers/store.ts';
import { eventName, prepareEventWrite, storeEventRecorder, type EventOccurrence } from '../../../src/kube/events.ts';
import { recordKubeletEvents } from '../../../src/kubelet/event-writer.ts';
import { eventOp } from '../../../src/scheduler/writes.ts';
import type { KubeObject } from '../../../src/kube/types.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');
type EventDoc = KubeObject & { involvedObject: Record<string, unknown> };
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function world() {
  const { store, clusterId } = await createTestStore();
  const pod = await store.create(clusterId, 'pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { nodeName: 'node-a', containers: [{ name: 'app' }], initContainers: [{ name: 'setup' }] },
  });
  const events = async () => (await store.list(clusterId, 'events', { namespace: 'shop' })).items as EventDoc[];
  return { store, clusterId, pod, events };
}

test('the name follows the correlator key: a repeat has the same name, any other field a different one', () => {
  const involved = { metadata: { name: 'web', uid: 'u1' } } as KubeObject;
  const base: EventOccurrence = { involved, type: 'Warning', reason: 'BackOff', message: 'restarting', source: { component: 'kubelet', host: 'n1' } };
  const name = eventName(base);
  assert.match(name, /^web\.[0-9a-f]{16}$/);
  assert.equal(eventName({ ...base }), name);
  for (const other of [
    { message: 'other' },
    { reason: 'Other' },
    { type: 'Normal' as const },
    { fieldPath: 'spec.containers{a}' },
    { source: { component: 'kubelet', host: 'n2' } },
    { source: { component: 'other' } },
  ]) {
    assert.notEqual(eventName({ ...base, ...other }), name, JSON.stringify(other));
  }
});

test('a controller event: created once, then repeats bump count and lastTimestamp, firstTimestamp stays', async () => {
  const w = await world();
  let now = T0;
  const recorder = storeEventRecorder(w.store, w.clusterId, () => now);
  await recorder.record(w.pod, 'Normal', 'Killing', 'Stopping container app', 'replicaset-controller');
  now += 5_000;
  await recorder.record(w.pod, 'Normal', 'Killing', 'Stopping container app', 'replicaset-controller');
  await recorder.record(w.pod, 'Normal', 'Killing', 'another message', 'replicaset-controller');
  const evs = await w.events();
  assert.equal(evs.length, 2);
  const ev = evs.find((e) => e.message === 'Stopping container app')!;
  assert.equal(ev.count, 2);
  assert.equal(ev.firstTimestamp, iso(T0));
  assert.equal(ev.lastTimestamp, iso(T0 + 5_000));
  assert.deepEqual(ev.source, { component: 'replicaset-controller' });
  assert.equal(ev.reportingComponent, 'replicaset-controller');
  assert.deepEqual(ev.involvedObject, {
    apiVersion: 'v1',
    kind: 'Pod',
    name: 'web',
    namespace: 'shop',
    uid: w.pod.metadata.uid,
    resourceVersion: w.pod.metadata.resourceVersion,
  });
});

test('cluster-scoped objects get their Events in default', async () => {
  const { store, clusterId } = await createTestStore();
  const node = await store.create(clusterId, 'nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
  await storeEventRecorder(store, clusterId, () => T0).record(node, 'Normal', 'NodeReady', 'Node n1 status is now: NodeReady');
  const [ev] = (await store.list(clusterId, 'events', { namespace: 'default' })).items as EventDoc[];
  assert.equal(ev.involvedObject.kind, 'Node');
  assert.equal(ev.involvedObject.namespace, undefined);
  assert.deepEqual(ev.source, { component: 'kates' });
});

test('kubelet events of one pass merge into one Event with a count, on the container, from the node', async () => {
  const w = await world();
  const backOff = { container: 'app', type: 'Warning' as const, reason: 'BackOff', message: 'Back-off restarting failed container' };
  await recordKubeletEvents(w.store, w.clusterId, T0, [
    { pod: w.pod, event: backOff, fresh: true },
    { pod: w.pod, event: backOff, fresh: true },
    { pod: w.pod, event: { ...backOff, container: 'setup' }, fresh: true },
  ]);
  let evs = await w.events();
  assert.equal(evs.length, 2);
  const app = evs.find((e) => e.involvedObject.fieldPath === 'spec.containers{app}')!;
  assert.equal(app.count, 2);
  assert.deepEqual(app.source, { component: 'kubelet', host: 'node-a' });
  assert.equal(app.reportingInstance, 'node-a');
  assert.ok(evs.some((e) => e.involvedObject.fieldPath === 'spec.initContainers{setup}'));
  // A later pass adds to the same Event.
  await recordKubeletEvents(w.store, w.clusterId, T0 + 10_000, [{ pod: w.pod, event: backOff }]);
  evs = await w.events();
  assert.equal(evs.length, 2);
  const again = evs.find((e) => e.involvedObject.fieldPath === 'spec.containers{app}')!;
  assert.equal(again.count, 3);
  assert.equal(again.lastTimestamp, iso(T0 + 10_000));
});

test('scheduler events are write ops that commit with the pod; a pod stored without apiVersion is still a v1 Pod', async () => {
  const w = await world();
  const bare = { ...w.pod, apiVersion: undefined, kind: undefined } as unknown as KubeObject;
  const first = await eventOp(w.store, w.clusterId, bare, 'Warning', 'FailedScheduling', '0/3 nodes are available', T0);
  assert.equal(first.op, 'create');
  await w.store.commit(w.clusterId, [first]);
  const second = await eventOp(w.store, w.clusterId, bare, 'Warning', 'FailedScheduling', '0/3 nodes are available', T0 + 1_000);
  assert.equal(second.op, 'update');
  await w.store.commit(w.clusterId, [second]);
  const [ev] = await w.events();
  assert.equal(ev.count, 2);
  assert.equal(ev.involvedObject.apiVersion, 'v1');
  assert.equal(ev.involvedObject.kind, 'Pod');
  assert.deepEqual(ev.source, { component: 'default-scheduler' });
  // knownNew skips the lookup: it always proposes a create.
  const blind = await prepareEventWrite(
    w.store,
    w.clusterId,
    { involved: bare, type: 'Warning', reason: 'FailedScheduling', message: '0/3 nodes are available', source: { component: 'default-scheduler' } },
    T0,
    { knownNew: true },
  );
  assert.equal(blind.op, 'create');
});
