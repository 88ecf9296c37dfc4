import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSchedulerController, schedulerController } from '../../src/controllers/scheduler.ts';
import type { KubeObject } from '../../src/kube/types.ts';
import { SCHEDULING_RESULT_ANNOTATION, type SchedulingRecord } from '../../src/scheduler/explain.ts';
import { controllerWorld, eventsFor, listAll, type ControllerWorld } from '../controllers/helpers/context.ts';
import { node, pod } from '../unit/scheduler/fixtures.ts';

async function world(nodes: KubeObject[], pods: KubeObject[] = []): Promise<ControllerWorld> {
  const w = await controllerWorld();
  for (const n of nodes) await w.store.create(w.clusterId, 'nodes', n);
  for (const p of pods) await w.store.create(w.clusterId, 'pods', p);
  return w;
}

const get = (w: ControllerWorld, name: string, ns = 'default') => w.store.mustGet(w.clusterId, 'pods', ns, name);
const scheduled = (p: KubeObject) => p.status?.conditions?.find((c: { type: string }) => c.type === 'PodScheduled');
const recordOf = (p: KubeObject): SchedulingRecord => JSON.parse(p.metadata.annotations![SCHEDULING_RESULT_ANNOTATION]);
const cp = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

test('binds a pod: nodeName, PodScheduled=True, a Scheduled event and the explanation annotation', async () => {
  const w = await world([node('small', { cpu: '1' }), node('large', { cpu: '8', memory: '32Gi' })], [pod('web', { cpu: '500m', memory: '256Mi' })]);
  await schedulerController.reconcile(w.ctx);
  const p = await get(w, 'web');
  assert.equal(p.spec.nodeName, 'large');
  assert.equal(scheduled(p).status, 'True');
  const rec = recordOf(p);
  assert.equal(rec.outcome, 'Scheduled');
  assert.equal(rec.selectedNode, 'large');
  assert.deepEqual(
    rec.perNode.map((n) => n.node),
    ['large', 'small'],
  );
  assert.ok(rec.perNode[0].total! > rec.perNode[1].total!);
  const [ev] = await eventsFor(w, 'web');
  assert.equal(ev.reason, 'Scheduled');
  assert.equal(ev.type, 'Normal');
  assert.equal(ev.message, 'Successfully assigned default/web to large');
  assert.match(rec.summary!, /^score \d+\/1200: .*2\/2 nodes feasible$/);
});

test('taints and insufficient cpu: PodScheduled=False/Unschedulable and a FailedScheduling event with the FitError text', async () => {
  const w = await world([node('cp', { taints: [cp] }), node('a', { cpu: '1' }), node('b', { cpu: '1' })], [pod('big', { cpu: '2' })]);
  const result = await schedulerController.reconcile(w.ctx);
  const msg =
    '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. ' +
    'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
  const p = await get(w, 'big');
  assert.equal(p.spec.nodeName, undefined);
  assert.deepEqual(
    { ...scheduled(p), lastTransitionTime: undefined },
    { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: msg, lastProbeTime: null, lastTransitionTime: undefined },
  );
  assert.deepEqual(await eventsFor(w, 'big'), [{ reason: 'FailedScheduling', type: 'Warning', message: msg }]);
  assert.equal(recordOf(p).outcome, 'Unschedulable');
  assert.equal(result?.requeueAfterMs, 1000, 'first back-off is 1 s');
});

test('node affinity and nodeSelector steer pods; a mismatch says so', async () => {
  const w = await world(
    [node('ssd', { labels: { disk: 'ssd' } }), node('hdd', { labels: { disk: 'hdd' } })],
    [pod('fast', { spec: { nodeSelector: { disk: 'ssd' } } }), pod('nowhere', { spec: { nodeSelector: { disk: 'nvme' } } })],
  );
  await schedulerController.reconcile(w.ctx);
  assert.equal((await get(w, 'fast')).spec.nodeName, 'ssd');
  assert.equal(
    scheduled(await get(w, 'nowhere')).message,
    "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
  );
});

test('pod anti-affinity spreads replicas one per node within a single pass; the extra one is unschedulable', async () => {
  const replica = (i: number) =>
    pod(`web-${i}`, {
      labels: { app: 'web' },
      creation: `2026-01-01T00:00:0${i}Z`,
      spec: {
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }],
          },
        },
      },
    });
  const w = await world([node('a'), node('b')], [replica(1), replica(2), replica(3)]);
  await schedulerController.reconcile(w.ctx);
  const placed = [(await get(w, 'web-1')).spec.nodeName, (await get(w, 'web-2')).spec.nodeName].sort();
  assert.deepEqual(placed, ['a', 'b']);
  assert.equal(
    scheduled(await get(w, 'web-3')).message,
    "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.",
  );
});

test('an unschedulable pod backs off, ignores irrelevant churn, and is placed once a node arrives', async () => {
  const w = await world([node('a', { cpu: '1' })], [pod('big', { cpu: '2' })]);
  await schedulerController.reconcile(w.ctx);
  const before = (await get(w, 'big')).metadata.resourceVersion;
  w.clock.advance(2_000);
  // Nothing relevant changed: the pass leaves the pod alone and asks to come back at the 5-minute flush.
  const idle = await schedulerController.reconcile(w.ctx);
  assert.equal((await get(w, 'big')).metadata.resourceVersion, before);
  assert.ok(idle?.requeueAfterMs! > 60_000);
  await w.store.create(w.clusterId, 'nodes', node('b', { cpu: '4' }));
  await schedulerController.reconcile(w.ctx);
  assert.equal((await get(w, 'big')).spec.nodeName, 'b');
});

test('a retried failure bumps the FailedScheduling event count and the attempt counter', async () => {
  const w = await world([node('a', { cpu: '1' })], [pod('big', { cpu: '2' })]);
  await schedulerController.reconcile(w.ctx);
  await w.store.create(w.clusterId, 'nodes', node('b', { cpu: '1' }));
  w.clock.advance(1_000);
  await schedulerController.reconcile(w.ctx);
  const events = (await listAll(w, 'events')).filter((e) => e.reason === 'FailedScheduling');
  assert.equal(events.length, 2, 'the message changed (0/1 → 0/2), so it is a new event');
  assert.equal(recordOf(await get(w, 'big')).attempts, 2);
  await w.store.create(w.clusterId, 'nodes', node('c', { cpu: '1', labels: { x: 'y' } }));
  w.clock.advance(1_000);
  const r = await schedulerController.reconcile(w.ctx);
  assert.equal(r?.requeueAfterMs, 1_000, 'the second failure backs off 2 s, 1 s of which is left');
  w.clock.advance(1_000);
  await schedulerController.reconcile(w.ctx);
  assert.equal(recordOf(await get(w, 'big')).attempts, 3);
});

test('higher priority pods are scheduled first', async () => {
  const w = await world(
    [node('a', { cpu: '1' })],
    [
      pod('early-low', { cpu: '1', priority: 0, creation: '2026-01-01T00:00:00Z' }),
      pod('late-high', { cpu: '1', spec: { priorityClassName: 'important' }, creation: '2026-01-01T00:05:00Z' }),
    ],
  );
  await w.store.create(w.clusterId, 'priorityclasses.scheduling.k8s.io', {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'important' },
    value: 1000,
  });
  await schedulerController.reconcile(w.ctx);
  assert.equal((await get(w, 'late-high')).spec.nodeName, 'a');
  assert.equal((await get(w, 'early-low')).spec.nodeName, undefined);
});

test('preemption: the victim is marked and deleted gracefully, the preemptor is nominated and bound once room is made', async () => {
  const w = await world([node('a', { cpu: '1' })], [pod('low', { cpu: '1', priority: 0, nodeName: 'a' })]);
  await w.store.create(w.clusterId, 'pods', pod('vip', { cpu: '1', priority: 1000 }));
  await schedulerController.reconcile(w.ctx);
  const victim = await get(w, 'low');
  assert.ok(victim.metadata.deletionTimestamp, 'deleted with a grace period, left for the kubelet');
  assert.deepEqual(victim.status.conditions.find((c: { type: string }) => c.type === 'DisruptionTarget')?.reason, 'PreemptionByScheduler');
  const vip = await get(w, 'vip');
  assert.equal(vip.status.nominatedNodeName, 'a');
  assert.equal(scheduled(vip).message, '0/1 nodes are available: 1 Insufficient cpu.');
  const [preempted] = await eventsFor(w, 'low');
  assert.deepEqual(preempted, { reason: 'Preempted', type: 'Normal', message: `Preempted by pod ${vip.metadata.uid} on node a` });
  assert.deepEqual(recordOf(vip).preemption, { nominatedNode: 'a', victims: ['default/low'] });

  // While the victim terminates the preemptor waits rather than preempting again.
  w.clock.advance(1_000);
  await w.store.create(w.clusterId, 'nodes', node('tiny', { cpu: '100m' }));
  await schedulerController.reconcile(w.ctx);
  assert.match(scheduled(await get(w, 'vip')).message, /preemption: not eligible due to a terminating pod on the nominated node\.$/);
  assert.equal((await get(w, 'vip')).status.nominatedNodeName, 'a');

  // The kubelet finishes the victim; the preemptor lands on its nominated node.
  await w.store.delete(w.clusterId, 'pods', 'default', 'low');
  w.clock.advance(2_000);
  await schedulerController.reconcile(w.ctx);
  const bound = await get(w, 'vip');
  assert.equal(bound.spec.nodeName, 'a');
  assert.equal(bound.status.nominatedNodeName, undefined);
});

test('gated pods are not scheduled and show SchedulingGated', async () => {
  const w = await world([node('a')], [pod('gated', { spec: { schedulingGates: [{ name: 'example.com/wait' }] } })]);
  await schedulerController.reconcile(w.ctx);
  const p = await get(w, 'gated');
  assert.equal(p.spec.nodeName, undefined);
  assert.deepEqual([scheduled(p).reason, scheduled(p).message], ['SchedulingGated', 'Scheduling is blocked due to non-empty scheduling gates']);
});

test('pods of other schedulers and bound or terminating pods are left alone', async () => {
  const w = await world([node('a')], [pod('custom', { spec: { schedulerName: 'my-scheduler' } }), pod('bye', { deleting: true })]);
  await schedulerController.reconcile(w.ctx);
  assert.equal((await get(w, 'custom')).spec.nodeName, undefined);
  assert.equal((await get(w, 'bye')).metadata.annotations, undefined);
});

test('WaitForFirstConsumer claim: the node is selected on the claim first, the pod is bound once the claim is', async () => {
  const w = await world([node('a', { labels: { 'topology.kubernetes.io/zone': 'z1' } }), node('b', { labels: { 'topology.kubernetes.io/zone': 'z2' } })]);
  await w.store.create(w.clusterId, 'storageclasses.storage.k8s.io', {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'gp3' },
    provisioner: 'ebs.csi.aws.com',
    volumeBindingMode: 'WaitForFirstConsumer',
  });
  await w.store.create(w.clusterId, 'persistentvolumeclaims', {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'default' },
    spec: { storageClassName: 'gp3', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  });
  await w.store.create(w.clusterId, 'pods', pod('db', { spec: { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] } }));
  const first = await schedulerController.reconcile(w.ctx);
  const claim = await w.store.mustGet(w.clusterId, 'persistentvolumeclaims', 'default', 'data');
  const selected = claim.metadata.annotations?.['volume.kubernetes.io/selected-node'];
  assert.ok(selected === 'a' || selected === 'b');
  assert.equal((await get(w, 'db')).spec.nodeName, undefined);
  assert.equal(recordOf(await get(w, 'db')).outcome, 'WaitingForVolumes');
  assert.ok(first?.requeueAfterMs);

  // The provisioner creates a zonal volume for the selected node and binds the claim.
  const zone = selected === 'a' ? 'z1' : 'z2';
  await w.store.create(w.clusterId, 'persistentvolumes', {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'pvc-data' },
    spec: {
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'gp3',
      claimRef: { namespace: 'default', name: 'data' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone] }] }] } },
    },
  });
  await w.store.update(w.clusterId, 'persistentvolumeclaims', { ...claim, spec: { ...claim.spec, volumeName: 'pvc-data' }, status: { phase: 'Bound' } });
  await schedulerController.reconcile(w.ctx);
  assert.equal((await get(w, 'db')).spec.nodeName, selected);
});

test('a pass is bounded and reports more work; a pod already bound elsewhere is not overwritten', async () => {
  const pods = Array.from({ length: 8 }, (_, i) => pod(`p${i}`, { creation: `2026-01-01T00:00:0${i}Z` }));
  const w = await world([node('a')], pods);
  const bounded = createSchedulerController({ maxPodsPerPass: 5 });
  assert.deepEqual(await bounded.reconcile(w.ctx), { more: true });
  assert.equal((await listAll(w, 'pods')).filter((p) => p.spec.nodeName).length, 5);
  await bounded.reconcile(w.ctx);
  assert.equal((await listAll(w, 'pods')).filter((p) => p.spec.nodeName).length, 8);
});

test('a large batch never overcommits a node and spreads across nodes', async () => {
  const nodes = Array.from({ length: 10 }, (_, i) => node(`n${i}`, { cpu: '4', memory: '8Gi', pods: 40 }));
  const pods = Array.from({ length: 300 }, (_, i) => pod(`w-${i}`, { cpu: '100m', memory: '128Mi' }));
  const w = await world(nodes, pods);
  await schedulerController.reconcile(w.ctx);
  const all = await listAll(w, 'pods');
  assert.equal(all.filter((p) => p.spec.nodeName).length, 300);
  const perNode = new Map<string, number>();
  for (const p of all) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
  for (const n of perNode.values()) assert.equal(n, 30, 'LeastAllocated levels identical nodes');
  assert.equal((await listAll(w, 'events')).filter((e) => e.reason === 'Scheduled').length, 300);
});
