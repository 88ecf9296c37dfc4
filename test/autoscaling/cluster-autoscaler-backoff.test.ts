import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import type { KubeObject } from '../../src/kube/types.ts';
import { clusters, nodePools } from '../../src/store/schema/index.ts';
import { syncPoolNodes } from '../../src/clusters/pool-nodes.ts';
import { getCluster, poolsOf } from '../../src/services/clusters/internal.ts';
import { clusterAutoscalerController } from '../../src/autoscaling/cluster-autoscaler/controller.ts';
import { loadState } from '../../src/autoscaling/state.ts';
import type { CaState } from '../../src/autoscaling/cluster-autoscaler/state.ts';
import type { CloudFault } from '../../src/autoscaling/cluster-autoscaler/cloud-faults.ts';
import { listDecisions } from '../../src/autoscaling/cluster-autoscaler/events-log.ts';
import { autoscalingWorld } from './helpers/world.ts';

const MIN = 60_000;

/** A cluster with autoscaled pools (one m5.large node each, max 4) and the given faults and settings. */
async function setup(poolNames: string[], o: { settings?: Record<string, unknown>; faults?: CloudFault[] } = {}) {
  const w = await autoscalingWorld();
  const writeSettings = (faults: CloudFault[]) =>
    w.database.db
      .update(clusters)
      .set({ settings: JSON.stringify({ autoscaler: o.settings ?? {}, cloudFaults: faults }) })
      .where(eq(clusters.id, w.clusterId))
      .run();
  await writeSettings(o.faults ?? []);
  for (const name of poolNames)
    await w.database.db
      .insert(nodePools)
      .values({ clusterId: w.clusterId, name, instanceType: 'm5.large', count: 1, minCount: 1, maxCount: 4, autoscaling: true })
      .run();
  await w.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
  const cluster = (await getCluster(w.database, w.clusterId))!;
  for (const p of await poolsOf(w.database, w.clusterId)) await syncPoolNodes(w.database, w.store, cluster, p);
  const counts = async () => Object.fromEntries((await poolsOf(w.database, w.clusterId)).map((p) => [p.name, p.count]));
  const state = async () => (await loadState<CaState>(w.database, w.clusterId, 'cluster-autoscaler', 'cluster'))!;
  const statusText = async () =>
    ((await w.get('configmaps', 'kube-system', 'cluster-autoscaler-status')) as KubeObject & { data: { status: string } }).data.status;
  const statusEvents = async () =>
    (await w.list('events', 'kube-system'))
      .filter((e) => (e.involvedObject as { name: string }).name === 'cluster-autoscaler-status')
      .map((e) => `${e.type} ${e.reason}: ${e.message}`);
  /** Runs loops every 10 s of cluster time for `ms`. */
  const runFor = async (ms: number) => {
    for (let t = 0; t < ms; t += 10_000) {
      w.clock.advance(10_000);
      await w.run(clusterAutoscalerController);
    }
  };
  // Fill every node so the next pod needs a new one.
  for (const n of await w.list('nodes')) await w.create('pods', webPod(`filler-${n.metadata.name}`, n.metadata.name, '1900m'));
  return { ...w, counts, state, statusText, statusEvents, runFor, writeSettings };
}

function webPod(name: string, node?: string, cpu = '1500m'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'rs-1', controller: true }] },
    spec: { ...(node ? { nodeName: node } : {}), containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu } } }] },
    status: node
      ? { phase: 'Running' }
      : {
          phase: 'Pending',
          conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/2 nodes are available: 2 Insufficient cpu.' }],
        },
  };
}

const priorities = (text: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cluster-autoscaler-priority-expander', namespace: 'kube-system' },
  data: { priorities: text },
});

test('nodes that never register: after 15 min the scale-up times out, the group backs off and the next-priority group scales up', async () => {
  const w = await setup(['ondemand', 'spot'], { settings: { expander: 'priority,least-waste' }, faults: [{ nodePool: 'spot', fault: 'never-registers' }] });
  await w.create('configmaps', priorities('50:\n  - ^spot$\n10:\n  - .*\n'));
  await w.create('pods', webPod('web-0'));

  await w.run(clusterAutoscalerController);
  assert.deepEqual(await w.counts(), { ondemand: 1, spot: 2 }, 'the priority expander prefers spot');
  await w.runFor(15 * MIN);
  assert.deepEqual(await w.counts(), { ondemand: 1, spot: 2 }, 'still waiting at exactly 15 min');
  assert.equal((await w.list('nodes')).length, 2, 'the spot node never joined');

  await w.runFor(10_000);
  assert.deepEqual(await w.counts(), { ondemand: 2, spot: 1 }, 'spot gave back its unregistered node; ondemand took the scale-up in the same loop');
  const events = await w.statusEvents();
  assert.ok(events.includes('Warning ScaleUpTimedOut: Nodes added to group spot failed to register within 15m10s'), events.join('\n'));
  assert.ok(events.some((e) => /^Normal DeleteUnregistered: Removed unregistered node spot-/.test(e)));
  assert.ok(events.includes('Normal ScaledUpGroup: Scale-up: setting group ondemand size to 2 instead of 1 (max: 4)'));
  const spot = (await w.state()).report!.nodeGroups.find((g) => g.name === 'spot')!;
  assert.equal(spot.scaleUpStatus, 'Backoff');
  assert.deepEqual([spot.backoff?.errorCode, spot.backoff?.durationSeconds], ['timeout', 300]);
  assert.match(
    await w.statusText(),
    /- name: spot\n(?:.*\n)*?\s+scaleUp:\n\s+status: Backoff\n\s+backoffInfo:\n\s+errorCode: timeout\n\s+errorMessage: Scale-up timed out for node group spot after 15m10s/,
  );
  assert.match(await w.statusText(), /- name: ondemand\n(?:.*\n)*?\s+scaleUp:\n\s+status: InProgress\n/);

  // The back-off ends after 5 minutes; the group is offered again.
  await w.runFor(5 * MIN);
  assert.equal((await w.state()).report!.nodeGroups.find((g) => g.name === 'spot')!.scaleUpStatus, 'NoActivity');
  assert.doesNotMatch(await w.statusText(), /Backoff/);
});

test('out of capacity: the failure is reported on the next loop, back-off doubles on each failure, and healing the pool lets it grow', async () => {
  const w = await setup(['spot'], { faults: [{ nodePool: 'spot', fault: 'out-of-capacity' }] });
  await w.create('pods', webPod('web-0'));
  await w.run(clusterAutoscalerController);
  assert.deepEqual(await w.counts(), { spot: 2 });

  await w.runFor(10_000);
  assert.deepEqual(await w.counts(), { spot: 1 }, 'the failed instance is removed from the target');
  const message =
    'Failed adding 1 nodes to group spot due to OutOfResource.InsufficientInstanceCapacity; source errors: We currently do not have sufficient m5.large capacity in the Availability Zone you requested (us-east-1a).';
  assert.ok((await w.statusEvents()).includes(`Warning ScaleUpFailed: ${message}`));
  assert.match(await w.statusText(), /status: Backoff\n\s+backoffInfo:\n\s+errorCode: InsufficientInstanceCapacity\n/);
  const pod = (await w.list('events', 'default'))
    .filter((e) => (e.involvedObject as { name: string }).name === 'web-0')
    .map((e) => `${e.reason}: ${e.message}`);
  assert.ok(pod.includes("NotTriggerScaleUp: pod didn't trigger scale-up: 1 in backoff after failed scale-up"), pod.join('\n'));

  // The next attempt, once the 5 min are over, fails again: 10 min this time.
  await w.runFor(5 * MIN);
  assert.deepEqual(await w.counts(), { spot: 2 });
  await w.runFor(10_000);
  assert.equal((await w.state()).backoff.spot.durationMs, 10 * MIN);
  const decisions = (await listDecisions(w.database, w.clusterId, 50)).map((d) => d.reason).reverse();
  assert.deepEqual(
    decisions.filter((r) => r === 'ScaleUpFailed' || r === 'ScaledUpGroup' || r === 'NodeGroupBackoff'),
    ['ScaledUpGroup', 'ScaleUpFailed', 'NodeGroupBackoff', 'ScaledUpGroup', 'ScaleUpFailed', 'NodeGroupBackoff'],
  );

  await w.writeSettings([]);
  await w.runFor(10 * MIN);
  assert.deepEqual(await w.counts(), { spot: 2 });
  await w.runFor(2 * MIN);
  assert.equal((await w.list('nodes')).length, 2, 'the healed pool delivered its node');
});

test('a capacity limit lets the pool grow up to it; the provider refusing a resize is FailedToScaleUpGroup', async () => {
  const w = await setup(['spot'], { faults: [{ nodePool: 'spot', fault: 'quota-exceeded', capacity: 2 }] });
  await w.create('pods', webPod('web-0'));
  await w.create('pods', webPod('web-1'));
  await w.run(clusterAutoscalerController);
  assert.deepEqual(await w.counts(), { spot: 3 });
  await w.runFor(10_000);
  assert.deepEqual(await w.counts(), { spot: 2 }, 'one of the two new nodes is within capacity');
  assert.ok(
    (await w.statusEvents()).some((e) => e.startsWith('Warning ScaleUpFailed: Failed adding 1 nodes to group spot due to OutOfResource.VcpuLimitExceeded')),
  );
  await w.runFor(2 * MIN);
  assert.equal((await w.list('nodes')).length, 2);

  const r = await setup(['ondemand'], { faults: [{ nodePool: 'ondemand', fault: 'api-error' }] });
  await r.create('pods', webPod('web-0'));
  await r.run(clusterAutoscalerController);
  assert.deepEqual(await r.counts(), { ondemand: 1 }, 'the target never moved');
  assert.ok(
    (await r.statusEvents()).includes(
      'Warning FailedToScaleUpGroup: Scale-up failed for group ondemand: failed to increase node group ondemand: SetDesiredCapacity was refused by the provider',
    ),
  );
  assert.equal((await r.state()).backoff.ondemand.errorCode, 'cloudProviderError');
});

test('an invalid priority ConfigMap gets a Warning Event (once per 5 min) and the chain goes on without it', async () => {
  const w = await setup(['a', 'b'], { settings: { expander: 'priority,least-nodes' } });
  await w.create('configmaps', priorities('ten:\n  - a\n'));
  await w.create('pods', webPod('web-0'));
  await w.run(clusterAutoscalerController);
  assert.equal(
    Object.values(await w.counts()).reduce((s, n) => s + n, 0),
    3,
    'a scale-up still happened',
  );
  await w.create('pods', webPod('web-1'));
  await w.runFor(MIN);
  assert.equal(
    Object.values(await w.counts()).reduce((s, n) => s + n, 0),
    4,
    'a second scale-up consulted the expander again',
  );
  const events = (await w.list('events', 'kube-system')).filter((e) => (e.involvedObject as { name: string }).name === 'cluster-autoscaler-priority-expander');
  assert.equal(events.length, 1);
  assert.equal(events[0].count, 1, 'not repeated within 5 minutes');
  assert.equal(events[0].reason, 'PriorityConfigMapInvalid');
  assert.equal(events[0].type, 'Warning');
  assert.match(
    String(events[0].message),
    /^Wrong configuration for priority expander: Can't parse YAML with priorities in the configmap: priority ten is not an integer\. Ignoring update\.$/,
  );
});
