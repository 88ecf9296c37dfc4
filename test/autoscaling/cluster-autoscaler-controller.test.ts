import { test } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import type { KubeObject } from '../../src/kube/types.ts';
import { isoTime } from '../../src/lib/clock.ts';
import { clusters, nodePools, usageIntervals } from '../../src/store/schema/index.ts';
import { syncPoolNodes } from '../../src/clusters/pool-nodes.ts';
import { getCluster, poolsOf } from '../../src/services/clusters/internal.ts';
import { clusterAutoscalerController } from '../../src/autoscaling/cluster-autoscaler/controller.ts';
import { loadState } from '../../src/autoscaling/state.ts';
import type { CaState } from '../../src/autoscaling/cluster-autoscaler/state.ts';
import { listDecisions } from '../../src/autoscaling/cluster-autoscaler/events-log.ts';
import { autoscalingWorld } from './helpers/world.ts';

const MIN = 60_000;

async function setup(settings: Record<string, unknown> = {}) {
  const w = await autoscalingWorld();
  await w.database.db
    .update(clusters)
    .set({ settings: JSON.stringify({ autoscaler: settings }) })
    .where(eq(clusters.id, w.clusterId))
    .run();
  await w.database.db
    .insert(nodePools)
    .values({ clusterId: w.clusterId, name: 'default', instanceType: 'm5.large', count: 1, minCount: 1, maxCount: 4, autoscaling: true })
    .run();
  await w.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
  const cluster = (await getCluster(w.database, w.clusterId))!;
  await syncPoolNodes(w.database, w.store, cluster, (await poolsOf(w.database, w.clusterId))[0]);
  const poolCount = async () => (await poolsOf(w.database, w.clusterId))[0].count;
  const nodes = async () => (await w.list('nodes')).map((n) => n.metadata.name!);
  const state = async () => (await loadState<CaState>(w.database, w.clusterId, 'cluster-autoscaler', 'cluster'))!;
  return { ...w, cluster, poolCount, nodes, state };
}

function webPod(name: string, o: { node?: string; cpu?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      labels: { app: 'web' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'rs-1', controller: true }],
    },
    spec: { ...(o.node ? { nodeName: o.node } : {}), containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: o.cpu ?? '500m' } } }] },
    status: o.node
      ? { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }
      : {
          phase: 'Pending',
          conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient cpu.' }],
        },
  };
}

test('scale-up for unschedulable pods: target raised at once, nodes join after the provisioning delay with their node-hours', async () => {
  const w = await setup();
  const [first] = await w.nodes();
  await w.create('pods', webPod('filler', { node: first, cpu: '1900m' }));
  for (let i = 0; i < 4; i++) await w.create('pods', webPod(`web-${i}`));

  const r = await w.run(clusterAutoscalerController);
  assert.equal(r.requeueAfterMs, 10_000);
  assert.equal(await w.poolCount(), 3, '4 × 500m pods, 3 per m5.large: 2 more nodes');
  assert.equal((await w.nodes()).length, 1, 'the new nodes are still booting');
  assert.deepEqual(await w.events('web-0'), ['Normal TriggeredScaleUp: pod triggered scale-up: [{default 1->3 (max: 4)}]']);
  const cm = (await w.get('configmaps', 'kube-system', 'cluster-autoscaler-status'))! as KubeObject & { data: { status: string } };
  assert.match(cm.data.status, /cloudProviderTarget: 3/);
  assert.match(cm.data.status, /scaleUp:\n\s+status: InProgress/);
  assert.deepEqual(
    (await listDecisions(w.database, w.clusterId, 10)).map((d) => d.reason),
    ['ScaledUpGroup'],
  );

  // 10 s later the pods fit the booting nodes: nothing more is asked.
  w.clock.advance(10_000);
  await w.run(clusterAutoscalerController);
  assert.equal(await w.poolCount(), 3);
  const report = (await w.state()).report!;
  assert.ok(report.pendingPods.every((p) => p.outcome === 'fits-upcoming-node'));
  assert.deepEqual(report.nodeGroups, [
    { name: 'default', minSize: 1, maxSize: 4, targetSize: 3, registered: 1, ready: 1, upcoming: 2, scaleUpStatus: 'InProgress' },
  ]);

  // EKS nodes take 120 s to join.
  w.clock.advance(110_000);
  await w.run(clusterAutoscalerController);
  const joinedAt = w.clock.now();
  assert.equal((await w.nodes()).length, 3);
  const intervals = await w.database.db
    .select()
    .from(usageIntervals)
    .where(and(eq(usageIntervals.clusterId, w.clusterId), eq(usageIntervals.kind, 'node')))
    .all();
  assert.deepEqual(intervals.map((i) => i.startedAt).sort(), [intervals.find((i) => i.subject === first)!.startedAt, joinedAt, joinedAt].sort());
});

test('scale-down: empty nodes go after 10 min unneeded, in bulk, down to the pool minimum', async () => {
  const w = await setup();
  const cluster = w.cluster;
  await w.database.db.update(nodePools).set({ count: 3 }).where(eq(nodePools.clusterId, w.clusterId)).run();
  await syncPoolNodes(w.database, w.store, cluster, (await poolsOf(w.database, w.clusterId))[0]);
  const names = await w.nodes();
  await w.create('pods', webPod('web-0', { node: names[0], cpu: '200m' }));

  await w.run(clusterAutoscalerController);
  let report = (await w.state()).report!;
  assert.equal(report.scaleDown.status, 'CandidatesPresent');
  const candidates = report.nodes.filter((n) => n.candidate).map((n) => n.node);
  assert.equal(candidates.length, 2, 'min size 1 lets two of the three go');
  const tainted = (await w.list('nodes')).filter((n) => (n.spec.taints ?? []).some((t: any) => t.key === 'DeletionCandidateOfClusterAutoscaler'));
  assert.equal(tainted.length, 2);

  w.clock.advance(9 * MIN);
  await w.run(clusterAutoscalerController);
  assert.equal((await w.nodes()).length, 3, 'unneeded for only 9 min');
  w.clock.advance(MIN);
  await w.run(clusterAutoscalerController);
  assert.equal((await w.nodes()).length, 1);
  assert.equal(await w.poolCount(), 1);
  const closed = await w.database.db
    .select()
    .from(usageIntervals)
    .where(and(eq(usageIntervals.clusterId, w.clusterId), eq(usageIntervals.kind, 'node')))
    .all();
  assert.equal(closed.filter((i) => i.endedAt === w.clock.now()).length, 2, 'node-hours stop when the nodes go');
  report = (await w.state()).report!;
  assert.deepEqual(
    (await listDecisions(w.database, w.clusterId, 10)).map((d) => d.reason),
    ['ScaleDownEmpty', 'ScaleDownEmpty'],
  );
});

test('a node with a movable pod is tainted and drained through evictions, then deleted once its pods are gone', async () => {
  const w = await setup({ scaleDownUnneededTimeSeconds: 60 });
  await w.database.db.update(nodePools).set({ count: 2 }).where(eq(nodePools.clusterId, w.clusterId)).run();
  await syncPoolNodes(w.database, w.store, w.cluster, (await poolsOf(w.database, w.clusterId))[0]);
  const [a, b] = await w.nodes();
  await w.create('pods', webPod('web-a', { node: a, cpu: '300m' }));
  await w.create('pods', webPod('web-b', { node: b, cpu: '200m' }));
  await w.run(clusterAutoscalerController);
  w.clock.advance(MIN);
  await w.run(clusterAutoscalerController);
  const drained = (await w.state()).draining;
  assert.deepEqual(Object.keys(drained), [b], 'the emptier node is drained');
  const node = (await w.get('nodes', '', b))!;
  assert.ok(node.spec.taints.some((t: any) => t.key === 'ToBeDeletedByClusterAutoscaler' && t.effect === 'NoSchedule'));
  const evicted = (await w.get('pods', 'default', 'web-b'))!;
  assert.ok(evicted.metadata.deletionTimestamp, 'evicted with a graceful delete');
  assert.deepEqual(await w.events(b), ['Normal ScaleDown: marked the node as toBeDeleted/unschedulable']);

  // The kubelet finishes the pod; the next loop deletes the node.
  await w.store.delete(w.clusterId, 'pods', 'default', 'web-b');
  w.clock.advance(10_000);
  await w.run(clusterAutoscalerController);
  assert.deepEqual(await w.nodes(), [a]);
  assert.equal((await listDecisions(w.database, w.clusterId, 1))[0].message, `Scale-down: node ${b} removed with drain`);
});

test('dryRun records the decision and changes nothing', async () => {
  const w = await setup({ dryRun: true });
  const [first] = await w.nodes();
  await w.create('pods', webPod('filler', { node: first, cpu: '1900m' }));
  await w.create('pods', webPod('web-0'));
  await w.run(clusterAutoscalerController);
  assert.equal(await w.poolCount(), 1);
  const [d] = await listDecisions(w.database, w.clusterId, 1);
  assert.equal(d.reason, 'DryRunScaleUp');
  assert.equal(d.message, 'dry run: would scale up: setting group default size to 2 instead of 1 (max: 4) for 1 pod(s)');
  assert.equal(isoTime(w.clock.now()), (await w.state()).report!.at);
});
