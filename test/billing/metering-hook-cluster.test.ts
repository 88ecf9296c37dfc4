import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { runBillingCycle } from '../../src/billing/cycle.ts';
import { billingCursors, usageIntervals } from '../../src/store/schema/index.ts';

const deployment = (replicas: number) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        resources: {requests: {cpu: 500m, memory: 1Gi}}
`;

let h: Harness;
let owner: { id: string; token: string };

before(async () => {
  h = await startHarness();
  owner = await h.tenant();
});
after(() => h.stop());

const podIntervals = (clusterId: string) =>
  h.runtime.deps.database.db
    .select()
    .from(usageIntervals)
    .where(and(eq(usageIntervals.clusterId, clusterId), eq(usageIntervals.kind, 'pod')))
    .all();

async function deploy(clusterId: string, replicas: number): Promise<string> {
  const kubeconfig = await h.kubeconfig(owner.token, clusterId);
  const applied = await h.kubectl(kubeconfig, ['apply', '-f', '-'], deployment(replicas));
  assert.equal(applied.code, 0, applied.stderr);
  return kubeconfig;
}

test('a Deployment of 3 pods has 3 open pod intervals; scaled to 1, two of them close', { timeout: 60_000 }, async () => {
  const cluster = await h.runningCluster(owner.token, {
    name: 'pods',
    provider: 'eks',
    region: 'us-east-1',
    nodePools: [{ name: 'default', instanceType: 'm5.large', count: 2 }],
  });
  const kubeconfig = await deploy(cluster.id, 3);
  const open = await h.waitFor(async () => {
    const rows = await podIntervals(cluster.id);
    return rows.length === 3 && rows.every((r) => r.endedAt === null) ? rows : undefined;
  }, 'three open pod intervals');
  for (const row of open) {
    const a = JSON.parse(row.attributes);
    assert.equal(row.tenantId, owner.id);
    assert.equal(row.subject, `default/${a.name}`);
    assert.deepEqual([a.workload, a.cpuMilli, a.memoryBytes], ['Deployment/web', 500, 1024 ** 3]);
    assert.ok(a.node, 'the node it runs on');
  }

  const scaled = await h.kubectl(kubeconfig, ['scale', 'deployment/web', '--replicas=1']);
  assert.equal(scaled.code, 0, scaled.stderr);
  const rows = await h.waitFor(async () => {
    const r = await podIntervals(cluster.id);
    return r.filter((i) => i.endedAt !== null).length === 2 ? r : undefined;
  }, 'two pod intervals closed');
  assert.equal(rows.length, 3, 'no interval was opened twice');
  const stillOpen = rows.filter((i) => i.endedAt === null).map((i) => i.subject);
  const pods = (await h.runtime.deps.store.list(cluster.id, 'pods')).items.filter((p) => !p.metadata.deletionTimestamp);
  assert.deepEqual(
    stillOpen,
    pods.map((p) => `default/${p.metadata.name}`),
  );
});

test('a GKE Autopilot cluster bills its pods: autopilot line items after rating', { timeout: 60_000 }, async () => {
  const cluster = await h.runningCluster(owner.token, {
    name: 'autopilot',
    provider: 'gke',
    tier: 'autopilot',
    region: 'us-central1',
    nodePools: [{ name: 'default', instanceType: 'e2-standard-4', count: 1 }],
  });
  await deploy(cluster.id, 2);
  await h.waitFor(async () => (await podIntervals(cluster.id)).length === 2, 'two pod intervals');

  // Three cluster-clock hours later at least two whole hours are complete and past the rater's settling time.
  const advanced = await h.request('POST', `/v1/clusters/${cluster.id}/clock:advance`, { token: owner.token, body: { seconds: 3 * 3600 } });
  assert.equal(advanced.status, 200);
  const cycle = await runBillingCycle({ database: h.runtime.deps.database, nowMs: Date.now() });
  assert.ok(cycle.rating.records > 0);

  // Up to the cursor: the rated hours only (usage would add the hour under way as an estimate).
  const cursor = await h.runtime.deps.database.db.select().from(billingCursors).where(eq(billingCursors.clusterId, cluster.id)).get();
  const from = new Date(Date.now() - 24 * 3600_000).toISOString();
  const to = new Date(cursor!.ratedUntil).toISOString();
  const usage = await h.request('GET', `/v1/billing/usage?from=${from}&to=${to}&groupBy=hour`, { token: owner.token });
  assert.equal(usage.status, 200, usage.text);
  // This cluster's hours only (the tenant's other cluster is billed too), summed per line item.
  const items = new Map<string, { quantity: string }>();
  for (const g of usage.body.groups.filter((x: any) => x.clusterId === cluster.id)) {
    items.set(g.item, { quantity: String(Number(items.get(g.item)?.quantity ?? 0) + Number(g.quantity)) });
  }
  for (const item of ['autopilot:cpu', 'autopilot:memory', 'autopilot:ephemeral-storage'])
    assert.ok(items.has(item), `${item} in ${[...items.keys()].join(', ')}`);
  // Autopilot bills pods, not nodes.
  assert.ok(![...items.keys()].some((k) => String(k).startsWith('node:')));
  // Each pod bills 0.5 vCPU from its start (GKE bills per second: the start second counts whole)
  // until the end of the rated hours.
  const started = (i: { startedAt: number }) => Math.floor(i.startedAt / 1000) * 1000;
  const vcpuHours = (await podIntervals(cluster.id)).reduce((sum, i) => sum + (0.5 * (cursor!.ratedUntil - started(i))) / 3600_000, 0);
  assert.ok(vcpuHours > 1.9);
  assert.ok(Math.abs(Number((items.get('autopilot:cpu') as any).quantity) - vcpuHours) < 1e-5, `${JSON.stringify(items.get('autopilot:cpu'))} vs ${vcpuHours}`);
});
