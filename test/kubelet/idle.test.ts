import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eq, sql } from 'drizzle-orm';
import { node, world } from './world.ts';
import { nodeHeartbeatController } from '../../src/kubelet/node-heartbeat.ts';
import { nodeLifecycleController, NODE_MONITOR_GRACE_MS } from '../../src/kubelet/node-lifecycle.ts';
import { taintEvictionController } from '../../src/kubelet/taint-eviction.ts';
import { servedLease, servedNode } from '../../src/kube/registry/node-heartbeat-view.ts';
import { failNode } from '../../src/kubelet/chaos.ts';
import { metricsController } from '../../src/metrics/controller.ts';
import { monitoringController } from '../../src/monitoring/controller.ts';
import { latestSamples } from '../../src/metrics/read.ts';
import { metricRollups, metricSamples, monitoringSamples } from '../../src/store/schema/index.ts';
import type { Controller } from '../../src/controllers/runtime.ts';

const LEASES = 'leases.coordination.k8s.io';
const derived = [nodeHeartbeatController, nodeLifecycleController, taintEvictionController, metricsController, monitoringController];

async function idleCluster() {
  const w = await world();
  for (const name of ['a', 'b', 'c']) await w.create('nodes', node(name));
  // The first passes, and the looks the metrics and monitoring controllers take one interval later.
  await w.run(derived, 30_000, 5000);
  let commits = 0;
  w.store.onCommit(() => void commits++);
  const rowsOf = async () => {
    const count = async (table: typeof metricSamples | typeof metricRollups | typeof monitoringSamples) =>
      (await w.database.db
        .select({ n: sql<number>`count(*)` })
        .from(table)
        .where(eq(table.clusterId, w.clusterId))
        .get())!.n;
    return { samples: await count(metricSamples), rollups: await count(metricRollups), monitoring: await count(monitoringSamples) };
  };
  return { ...w, commits: () => commits, rowsOf };
}

test('a healthy idle cluster: heartbeats, lifecycle, metrics and monitoring write nothing for a minute and nothing is due', async () => {
  const w = await idleCluster();
  const rows = await w.rowsOf();
  const revision = async () => (await w.store.list(w.clusterId, 'nodes')).resourceVersion;
  const before = await revision();
  for (let s = 0; s < 60; s++) {
    w.clock.advance(1000);
    for (const c of derived as Controller[]) assert.deepEqual((await c.reconcile(w.ctx)) ?? {}, {}, `${c.name} at +${s + 1} s`);
  }
  assert.equal(w.commits(), 0, 'no object written');
  assert.equal(await revision(), before);
  assert.deepEqual(await w.rowsOf(), rows, 'no metric change point, rollup or monitoring sample');

  // Readers still see a kubelet at work: a Lease renewed within 10 s, node metrics of now.
  const now = w.clock.now();
  for (const name of ['a', 'b', 'c']) {
    const lease = servedLease((await w.get(LEASES, 'kube-node-lease', name))!, (await w.get('nodes', '', name))!, now);
    const renewed = Date.parse(lease.spec.renewTime);
    assert.ok(now - renewed < 10_000 && renewed <= now, `renewTime ${lease.spec.renewTime} at ${new Date(now).toISOString()}`);
  }
  const metrics = await latestSamples(w.database, w.clusterId, 'node', now);
  assert.deepEqual(metrics.map((m) => m.name).sort(), ['a', 'b', 'c']);
  assert.ok(
    metrics.every((m) => now - m.at < 15_000 && m.cpuMilli === 60),
    'system daemons only, scraped within 15 s',
  );
});

test('a failed node is due at its last renewal plus the grace period: NotReady then, without polling in between', async () => {
  const w = await idleCluster();
  w.clock.advance(5000); // 35 s since the Leases were created: the last renewal is at +30 s
  const failedAt = w.clock.now();
  await failNode(w.store, w.clusterId, 'a');

  // The node write wakes the kubelet side: the last renewal is written down once.
  assert.deepEqual(await nodeHeartbeatController.reconcile(w.ctx), {});
  const lease = (await w.get(LEASES, 'kube-node-lease', 'a'))!;
  const lastRenewal = Date.parse(lease.spec.renewTime);
  assert.equal(failedAt - lastRenewal, 5000);
  assert.deepEqual(await nodeHeartbeatController.reconcile(w.ctx), {}, 'materialized once');

  // Node lifecycle: one timer, at the end of the grace period.
  const due = (await nodeLifecycleController.reconcile(w.ctx))!;
  assert.equal(due.requeueAfterMs, lastRenewal + NODE_MONITOR_GRACE_MS - failedAt);
  w.clock.advance(due.requeueAfterMs! - 1);
  const ready = () => w.get('nodes', '', 'a').then((n) => n!.status.conditions.find((c: { type: string }) => c.type === 'Ready'));
  assert.equal((await ready()).status, 'True');
  // The renewal time served for a failed node no longer moves.
  assert.equal(
    servedLease((await w.get(LEASES, 'kube-node-lease', 'a'))!, (await w.get('nodes', '', 'a'))!, w.clock.now()).spec.renewTime,
    lease.spec.renewTime,
  );
  w.clock.advance(1);
  assert.deepEqual(await nodeLifecycleController.reconcile(w.ctx), {});
  const lost = await ready();
  assert.deepEqual([lost.status, lost.reason], ['Unknown', 'NodeStatusUnknown']);
  const node = (await w.get('nodes', '', 'a'))!;
  assert.deepEqual(
    node.spec.taints.map((t: { key: string; effect: string }) => `${t.key}:${t.effect}`),
    ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute'],
  );
  assert.equal(
    servedNode(node, w.clock.now() + 3_600_000).status.conditions[3].lastHeartbeatTime,
    lost.lastHeartbeatTime,
    'an Unknown condition keeps its last heartbeat',
  );
  // The healthy nodes stayed untouched.
  assert.equal((await w.get('nodes', '', 'b'))!.status.conditions.find((c: { type: string }) => c.type === 'Ready').status, 'True');
});
