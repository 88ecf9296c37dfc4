import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { startHarness, defaultClusterBody, type Harness } from '../helpers/harness.ts';
import { ManualClock } from '../helpers/store.ts';
import { openInterval } from '../../src/billing/intervals.ts';
import { volumeIntervalAttributes } from '../../src/billing/metering.ts';
import { runBillingCycle } from '../../src/billing/cycle.ts';
import { rateHours } from '../../src/billing/rating/runner.ts';
import { usageIntervals } from '../../src/store/schema/index.ts';

const HOUR = 3_600_000;
const MIN = 60_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

let h: Harness;
let clock: ManualClock;
let owner: { id: string; token: string };
let billing: { token: string };
let viewer: { token: string };

before(async () => {
  // The clock stands still while the cluster is provisioned, so its intervals open exactly at T0.
  clock = new ManualClock(T0);
  h = await startHarness({ clock });
  owner = await h.tenant();
  billing = await h.keyFor(owner.id, owner.token, 'billing');
  viewer = await h.keyFor(owner.id, owner.token, 'viewer');
});
after(() => h.stop());

test('3 × m5.large for 90 simulated minutes and a 20 GiB volume: exact records, invoice, allocation; deletion stops billing', async () => {
  const cluster = await h.runningCluster(owner.token, { ...defaultClusterBody(), nodePools: [{ name: 'default', instanceType: 'm5.large', count: 3 }] });
  const { database } = h.runtime.deps;
  const opened = await database.db.select().from(usageIntervals).where(eq(usageIntervals.clusterId, cluster.id)).all();
  assert.deepEqual(opened.map((i) => [i.kind, i.startedAt, i.endedAt]).sort(), [
    ['cluster', T0, null],
    ['node', T0, null],
    ['node', T0, null],
    ['node', T0, null],
  ]);
  // A 20 GiB gp3 volume, metered the way the PV provisioner records one.
  const pv = {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'pvc-data' },
    spec: { capacity: { storage: '20Gi' }, storageClassName: 'gp3', claimRef: { namespace: 'default', name: 'data' } },
  };
  await database.atomicWrite([
    openInterval(database.db, {
      tenantId: owner.id,
      clusterId: cluster.id,
      kind: 'volume',
      subject: 'pvc-data',
      attributes: volumeIntervalAttributes(pv),
      startedAt: T0,
    }),
  ]);

  clock.advance(90 * MIN);
  assert.equal((await h.request('DELETE', `/v1/clusters/${cluster.id}`, { token: owner.token })).status, 202);
  await h.waitFor(async () => (await h.request('GET', `/v1/clusters/${cluster.id}`, { token: owner.token })).body.status === 'DELETED', 'DELETED');
  const closed = await database.db
    .select()
    .from(usageIntervals)
    .where(and(eq(usageIntervals.clusterId, cluster.id)))
    .all();
  assert.ok(
    closed.every((i) => i.endedAt === T0 + 90 * MIN),
    'every interval closes at the deletion instant',
  );

  // Hours later the billing job runs (the rater was not running meanwhile: nothing is lost).
  clock.advance(3 * HOUR);
  await runBillingCycle({ database, nowMs: clock.now() });

  const usage = await h.request('GET', '/v1/billing/usage?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&groupBy=hour', { token: billing.token });
  assert.equal(usage.status, 200);
  assert.deepEqual(
    usage.body.groups.map((g: any) => [g.hour, g.item, g.quantity, g.amount.amount]),
    [
      ['2026-01-01T00:00:00.000Z', 'control-plane:standard', '1', '0.10'],
      ['2026-01-01T00:00:00.000Z', 'node:m5.large', '3', '0.29'], // 3 × 0.096 = 0.288
      ['2026-01-01T00:00:00.000Z', 'storage:gp3', '0.027397', '0.00'], // 20 × 0.08 / 730 = 0.00219
      ['2026-01-01T01:00:00.000Z', 'control-plane:standard', '0.5', '0.05'],
      ['2026-01-01T01:00:00.000Z', 'node:m5.large', '1.5', '0.15'], // 3 × 0.5 × 0.096 = 0.144
      ['2026-01-01T01:00:00.000Z', 'storage:gp3', '0.013699', '0.00'],
    ],
  );

  const invoice = await h.request('GET', '/v1/billing/invoices/2026-01', { token: billing.token });
  assert.equal(invoice.status, 200);
  // 0.15 + 0.432 + 0.003288 = 0.585288
  assert.deepEqual(invoice.body.total, { amount: '0.59', currency: 'USD' });
  assert.deepEqual(
    invoice.body.lineItems.map((l: any) => [l.item, l.quantity, l.unitPrice.amount]),
    [
      ['control-plane:standard', '1.5', '0.10'],
      ['node:m5.large', '4.5', '0.096'],
      ['storage:gp3', '0.041096', '0.08'],
    ],
  );

  // Re-running the rating over the same hours changes nothing.
  await rateHours(database, T0, T0 + 4 * HOUR);
  await runBillingCycle({ database, nowMs: clock.now() });
  const again = await h.request('GET', '/v1/billing/usage?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&groupBy=hour', { token: billing.token });
  assert.deepEqual(again.body, usage.body);

  // Allocation totals equal the invoice.
  const costs = await h.request('GET', `/v1/clusters/${cluster.id}/costs?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z`, { token: billing.token });
  assert.equal(costs.status, 200);
  assert.deepEqual(costs.body.total, invoice.body.total);
  assert.equal(costs.body.overhead.controlPlaneCost.amount, '0.15');

  const compare = await h.request('GET', `/v1/clusters/${cluster.id}/costs/compare?from=2026-01-01T00:00:00Z&to=2026-01-01T02:00:00Z`, { token: owner.token });
  assert.equal(compare.body.results.find((r: any) => r.provider === 'eks' && r.tier === 'standard').total.amount, '0.59');

  assert.equal((await h.request('GET', '/v1/billing/invoices/2026-01', { token: viewer.token })).status, 403);
  const other = await h.tenant();
  assert.equal((await h.request('GET', `/v1/clusters/${cluster.id}/costs`, { token: other.token })).status, 404);
});

test('POST /v1/estimates: 3 × m5.large on EKS standard for 730 h is $283.24', async () => {
  const r = await h.request('POST', '/v1/estimates', {
    token: viewer.token,
    body: { provider: 'eks', region: 'us-east-1', nodePools: [{ instanceType: 'm5.large', count: 3 }] },
  });
  assert.equal(r.status, 200);
  assert.equal(r.body.results.find((x: any) => x.provider === 'eks' && x.tier === 'standard').total.amount, '283.24');
});
