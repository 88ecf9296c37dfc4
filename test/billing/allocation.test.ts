import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rateDueHours } from '../../src/billing/rating/runner.ts';
import { closeClusterIntervals } from '../../src/billing/intervals.ts';
import { readInvoice } from '../../src/billing/reports/invoice-reader.ts';
import { clusterCostAllocation } from '../../src/billing/allocation/read.ts';
import { compareCluster } from '../../src/billing/reports/compare-reader.ts';
import { addCluster, billingDb, close, GiB, HOUR, MIN, open, T0 } from './helpers.ts';

/** The 90-minute EKS cluster, now with workloads on its nodes. */
async function clusterWithWorkloads() {
  const database = billingDb();
  await addCluster(database, 'cls_a', { tenantId: 'ten_a' });
  const at = (kind: Parameters<typeof open>[2], subject: string, attrs: object, t = T0) => open(database, 'cls_a', kind, subject, attrs as never, t, 'ten_a');
  await at('cluster', 'cls_a', { provider: 'eks', tier: 'standard', region: 'us-east-1' });
  for (const n of ['n1', 'n2', 'n3']) await at('node', n, { instanceType: 'm5.large' });
  await at('volume', 'pv-data', { sizeBytes: 20 * GiB, storageClass: 'gp3', claimNamespace: 'web', claimName: 'data' });
  await at('pod', 'web/web-1', {
    namespace: 'web',
    name: 'web-1',
    node: 'n1',
    cpuMilli: 1000,
    memoryBytes: 2 * GiB,
    workload: 'Deployment/web',
    labels: { team: 'shop' },
    claims: ['data'],
  });
  await at('pod', 'web/web-2', {
    namespace: 'web',
    name: 'web-2',
    node: 'n2',
    cpuMilli: 1000,
    memoryBytes: 2 * GiB,
    workload: 'Deployment/web',
    labels: { team: 'shop' },
  });
  await at(
    'pod',
    'batch/job-1',
    { namespace: 'batch', name: 'job-1', node: 'n3', cpuMilli: 1500, memoryBytes: 4 * GiB, workload: 'Job/nightly' },
    T0 + 5 * MIN,
  );
  await close(database, 'cls_a', 'pod', 'batch/job-1', T0 + 35 * MIN);
  await database.atomicWrite([closeClusterIntervals(database.db, 'cls_a', T0 + 90 * MIN)]);
  await rateDueHours(database, T0 + 3 * HOUR);
  return database;
}

test('allocation totals equal the invoice, to the micro-dollar and to the cent, for every grouping', async () => {
  const database = await clusterWithWorkloads();
  const invoice = await readInvoice(database.db, 'ten_a', '2026-01', Date.parse('2026-02-01T00:00:00Z'));
  const subtotal = invoice.clusters.find((c) => c.clusterId === 'cls_a')!;
  for (const groupBy of ['namespace', 'workload', 'label:team'] as const) {
    for (const shareIdle of ['none', 'weighted'] as const) {
      const a = await clusterCostAllocation(database.db, {
        clusterId: 'cls_a',
        fromMs: Date.parse('2026-01-01T00:00:00Z'),
        toMs: Date.parse('2026-02-01T00:00:00Z'),
        groupBy,
        shareIdle,
      });
      assert.equal(a.totalMicro, subtotal.subtotalMicro, `${groupBy} ${shareIdle}`);
      assert.equal(a.total.amount, invoice.total.amount);
      const cents = [...a.allocations.map((x) => x.totalCost.amount), a.idle.totalCost.amount, a.overhead.controlPlaneCost.amount].reduce(
        (s, x) => s + Math.round(Number(x) * 100),
        0,
      );
      assert.equal(cents, Math.round(Number(invoice.total.amount) * 100));
    }
  }
});

test('allocation by namespace: workloads, idle and control-plane overhead apart', async () => {
  const database = await clusterWithWorkloads();
  const a = await clusterCostAllocation(database.db, { clusterId: 'cls_a', fromMs: T0, toMs: T0 + 2 * HOUR, groupBy: 'namespace' });
  // Node-hours split into CPU/memory by 63,222 : 33,896: hour 0 96,000 → 62,494 / 33,506; hour 1 (30 min) 48,000 → 31,247 / 16,753.
  // web-1 (and web-2), 1 of 2 vCPU and 2 of 8 GiB: hour 0 31,247 + 8,377 (8,376.5, tie to the pod) = 39,624;
  //   hour 1 15,624 + 4,188 = 19,812 → 59,436 each → 118,872, plus all 3,288 of the gp3 claim it mounts = 122,160
  // job-1, 1.5 vCPU and 4 GiB for 30 of hour 0's 60 min on n3: 62,494 × 2.7/7.2 = 23,435.25 → 23,435;
  //   33,506 × 0.25 = 8,376.5 → 8,377 → 31,812
  assert.deepEqual(
    a.allocations.map((x) => [x.name, x.totalCost.amount]),
    [
      ['web', '0.13'],
      ['batch', '0.03'],
    ],
  );
  assert.deepEqual(
    a.allocations.map((x) => [x.cpuCost.amount, x.memoryCost.amount]),
    [
      ['0.09', '0.03'],
      ['0.02', '0.01'],
    ],
  );
  assert.equal(a.allocations[0].storageCost.amount, '0.00'); // $0.003288 rounds to nothing on its own
  // idle = 585,288 − 150,000 − 122,160 − 31,812 = 281,316 µ$
  assert.equal(a.idle.totalCost.amount, '0.28');
  assert.equal(a.overhead.controlPlaneCost.amount, '0.15'); // 1.5 h × $0.10
  assert.equal(a.totalMicro, 585_288);
});

test('compare: the same usage under every provider and tier; the actual one matches the invoice', async () => {
  const database = await clusterWithWorkloads();
  const invoice = await readInvoice(database.db, 'ten_a', '2026-01', Date.parse('2026-02-01T00:00:00Z'));
  const c = await compareCluster(database.db, { id: 'cls_a', provider: 'eks', tier: 'standard', region: 'us-east-1' }, T0, T0 + 2 * HOUR, T0 + 3 * HOUR);
  assert.equal(c.results.length, 7);
  const eks = c.results.find((r) => r.provider === 'eks' && r.tier === 'standard')!;
  assert.equal(eks.totalMicro, invoice.totalMicro);
  const gke = c.results.find((r) => r.provider === 'gke' && r.tier === 'standard')!;
  assert.deepEqual(gke.nodeTypes, [{ recorded: 'm5.large', priced: 'e2-standard-2' }]);
  // GKE: 4.5 instance-hours × $0.067006 = $0.301527; pd-balanced default 20 GiB × 1.5 h × $0.10 / 730 = $0.00411;
  // the $0.15 fee is under the free tier credit
  assert.equal(gke.credits.amount, '-0.15');
  assert.equal(gke.total.amount, '0.31');
  const autopilot = c.results.find((r) => r.tier === 'autopilot')!;
  // pods only: web-1, web-2 1 vCPU 2 GiB for 1.5 h, job-1 1.5 vCPU 4 GiB for 0.5 h; 1 GiB default ephemeral each
  // CPU (2 × 1 × 1.5 + 1.5 × 0.5) × 0.0445 = 3.75 × 0.0445 = 0.166875
  // memory (2 × 2 × 1.5 + 4 × 0.5) × 0.0049225 = 8 × 0.0049225 = 0.03938
  // ephemeral (2 × 1.5 + 0.5) × 0.0000548 = 0.0001918; storage 0.0041096 → 0.2105564
  assert.equal(autopilot.total.amount, '0.21');
  assert.equal(autopilot.lineItems.filter((l) => l.item.startsWith('node:')).length, 0);
});
