import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq, gte } from 'drizzle-orm';
import { startHarness, defaultClusterBody, type Harness } from '../helpers/harness.ts';
import { ManualClock } from '../helpers/store.ts';
import { monitoringSamples } from '../../src/store/schema/index.ts';
import { podUsage, NODE_SYSTEM_USAGE } from '../../src/kubelet/usage.ts';
import { recordClusterEvent } from '../../src/monitoring/cluster-events.ts';
import { webDeployment, webHpa } from './scenario.ts';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const SEC = 1000;

let h: Harness;
let clock: ManualClock;
let owner: { id: string; token: string };

before(async () => {
  clock = new ManualClock(T0);
  h = await startHarness({ clock });
  owner = await h.tenant();
});
after(() => h.stop());

/** Moves the cluster clock a second at a time until `fn` holds (the kubelet needs its clock to move). */
async function advanceUntil<T>(fn: () => Promise<T | undefined | false>, what: string): Promise<T> {
  return h.waitFor(
    async () => {
      const v = await fn();
      if (!v) clock.advance(SEC);
      return v;
    },
    what,
    30_000,
  );
}

/** Waits for the monitoring controller to store a sample taken at or after `atMs` that satisfies `ok`. */
async function sampleAfter(clusterId: string, atMs: number, ok: (data: any) => boolean) {
  return h.waitFor(
    async () => {
      const rows = await h.runtime.deps.database.db
        .select()
        .from(monitoringSamples)
        .where(and(eq(monitoringSamples.clusterId, clusterId), gte(monitoringSamples.at, atMs)))
        .all();
      return rows.find((r) => ok(JSON.parse(r.data)));
    },
    `a sample after ${new Date(atMs).toISOString()}`,
  );
}

test('report series follow a Deployment with declared usage scaled by its HPA; health and events; roles', async () => {
  const cluster = await h.runningCluster(owner.token, { ...defaultClusterBody(), nodePools: [{ name: 'default', instanceType: 'm5.large', count: 2 }] });
  const { store } = h.runtime.deps;
  await store.create(cluster.id, 'deployments.apps', webDeployment(3));
  await advanceUntil(
    async () => ((await store.get(cluster.id, 'deployments.apps', 'default', 'web'))?.status?.readyReplicas ?? 0) === 3 && true,
    '3 ready replicas',
  );

  // Past the sampling interval, the controller records 3 running pods.
  clock.advance(20 * SEC);
  const t1 = clock.now();
  await sampleAfter(cluster.id, t1, (d) => d.pods.phases.Running >= 3);

  // The HPA sees 50% against a 25% target and doubles the Deployment to its maximum of 6.
  await store.create(cluster.id, 'horizontalpodautoscalers.autoscaling', webHpa(6, 25));
  await advanceUntil(
    async () => ((await store.get(cluster.id, 'deployments.apps', 'default', 'web'))?.status?.readyReplicas ?? 0) === 6 && true,
    '6 ready replicas',
  );
  clock.advance(20 * SEC);
  const t2 = clock.now();
  const s2 = await sampleAfter(cluster.id, t2, (d) => d.deployments[0]?.ready === 6);

  // A 15 s grid that ends on that sample and starts a minute before the first one.
  const to = new Date(s2.at).toISOString();
  const from = new Date(s2.at - 15 * SEC * (Math.ceil((s2.at - t1) / (15 * SEC)) + 4)).toISOString();
  const r = await h.request('GET', `/v1/clusters/${cluster.id}/monitoring?from=${from}&to=${to}&step=15s`, { token: owner.token });
  assert.equal(r.status, 200, r.text);
  const last = r.body.timestamps.length - 1;
  assert.equal(r.body.stepSeconds, 15);
  assert.equal(r.body.timestamps[0], from);
  assert.equal(r.body.timestamps[last], to);
  const web = r.body.deployments.find((d: any) => d.name === 'web');
  assert.equal(web.desired[last], 6);
  assert.equal(web.ready[last], 6);
  assert.ok(web.desired.includes(3), 'the series starts at 3 replicas');

  // Known usage: 6 × 250m of web plus the nodes' system daemons plus whatever else runs (system pods).
  const pods = (await store.list(cluster.id, 'pods')).items;
  const others = pods.filter((p) => p.metadata.labels?.app !== 'web').reduce((a, p) => a + podUsage(p).cpuMillis, 0);
  const pool = r.body.pools.find((p: any) => p.name === 'default');
  assert.equal(pool.nodes[last], 2);
  assert.equal(pool.readyNodes[last], 2);
  const expectedCpu = (6 * 250 + 2 * NODE_SYSTEM_USAGE.cpuMillis + others) / 1000;
  assert.equal(pool.cpu.usage[last], expectedCpu);
  assert.equal(pool.cpu.allocatable[last], 2 * 1.93); // m5.large: 2 vCPU less GKE-formula reservations
  assert.equal(pool.cpu.usagePercent[last], Math.round((expectedCpu / 3.86) * 1000) / 10);
  const webRequests = pods.filter((p) => p.metadata.labels?.app === 'web').length * 0.5;
  assert.ok(pool.cpu.requests[last] >= webRequests);
  assert.equal(r.body.pods.phases.Running[last], pods.filter((p) => p.status?.phase === 'Running').length);
  assert.equal(r.body.pods.pending[last], 0);
  assert.equal(r.body.nodes.length, 2);

  const hpaSeries = r.body.hpas.find((x: any) => x.name === 'web');
  assert.equal(hpaSeries.desiredReplicas[last], 6);
  assert.equal(hpaSeries.cpuUtilization[last], 50);
  assert.equal(hpaSeries.targetCpuUtilization[last], 25);
  assert.deepEqual(
    r.body.hpaDecisions.map((d: any) => [d.name, d.fromReplicas, d.toReplicas, d.cpuUtilization, d.targetCpuUtilization]),
    [['web', 3, 6, 50, 25]],
  );
  assert.match(r.body.hpaDecisions[0].reason, /6/, "the HPA's own account of the decision");

  // Health: all nodes ready, web available.
  const health = await h.request('GET', `/v1/clusters/${cluster.id}/health`, { token: owner.token });
  assert.equal(health.status, 200);
  assert.equal(health.body.nodes.ready, 2);
  assert.deepEqual(health.body.workloads.unavailable, []);
  assert.equal(health.body.status, 'healthy');

  // Events: the cluster's provisioning, a control-plane event recorded by another part, and Kubernetes Events.
  await recordClusterEvent(h.runtime.deps.database, {
    clusterId: cluster.id,
    tenantId: owner.id,
    source: 'autoscaler',
    type: 'Normal',
    reason: 'ScaledUpGroup',
    message: 'pool default 2 → 3',
    at: clock.now(),
  });
  const events = await h.request('GET', `/v1/clusters/${cluster.id}/events?since=${new Date(T0 - 60 * SEC).toISOString()}&limit=1000`, { token: owner.token });
  assert.equal(events.status, 200);
  const reasons = new Set(events.body.items.map((e: any) => `${e.source}:${e.reason}`));
  assert.ok(reasons.has('provisioning:ProvisioningStarted') && reasons.has('provisioning:Provisioned'), [...reasons].join(' '));
  assert.ok(reasons.has('autoscaler:ScaledUpGroup'));
  assert.ok(reasons.has('kubernetes:ScalingReplicaSet'), "the Deployment controller's Events are there");
  assert.ok(reasons.has('kubernetes:SuccessfulRescale'), "the HPA's Events are there");
  assert.equal(events.body.items[0].reason, 'ScaledUpGroup', 'newest first');
  const cp = await h.request('GET', `/v1/clusters/${cluster.id}/events?source=control-plane&since=${new Date(T0 - 60 * SEC).toISOString()}`, {
    token: owner.token,
  });
  assert.ok(cp.body.items.length >= 3 && cp.body.items.every((e: any) => e.source !== 'kubernetes'));

  // Roles: viewers read; billing-only keys and other tenants do not.
  const viewer = await h.keyFor(owner.id, owner.token, 'viewer');
  assert.equal((await h.request('GET', `/v1/clusters/${cluster.id}/health`, { token: viewer.token })).status, 200);
  const billing = await h.keyFor(owner.id, owner.token, 'billing');
  assert.equal((await h.request('GET', `/v1/clusters/${cluster.id}/monitoring`, { token: billing.token })).status, 403);
  const other = await h.tenant();
  for (const path of ['monitoring', 'health', 'events']) {
    assert.equal((await h.request('GET', `/v1/clusters/${cluster.id}/${path}`, { token: other.token })).status, 404);
  }
  assert.equal((await h.request('GET', `/v1/clusters/${cluster.id}/monitoring?from=${to}&to=${from}`, { token: owner.token })).status, 422);
  assert.equal(
    (await h.request('GET', `/v1/clusters/${cluster.id}/monitoring?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z&step=1s`, { token: owner.token })).status,
    422,
  );
});
