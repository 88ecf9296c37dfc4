import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rateDueHours } from '../../src/billing/rating/runner.ts';
import { closeClusterIntervals } from '../../src/billing/intervals.ts';
import { invoicePeriods, readInvoice } from '../../src/billing/reports/invoice-reader.ts';
import { usageReport } from '../../src/billing/reports/usage.ts';
import { addCluster, billingDb, GiB, HOUR, MIN, open, T0 } from './helpers.ts';

async function scenario() {
  const database = billingDb();
  await addCluster(database, 'cls_a', { tenantId: 'ten_a' });
  await open(database, 'cls_a', 'cluster', 'cls_a', { provider: 'eks', tier: 'standard', region: 'us-east-1' }, T0, 'ten_a');
  for (const n of ['n1', 'n2', 'n3']) await open(database, 'cls_a', 'node', n, { instanceType: 'm5.large' }, T0, 'ten_a');
  await open(database, 'cls_a', 'volume', 'pv-data', { sizeBytes: 20 * GiB, storageClass: 'gp3' }, T0, 'ten_a');
  await database.atomicWrite([closeClusterIntervals(database.db, 'cls_a', T0 + 90 * MIN)]);
  // another tenant's usage never shows up
  await addCluster(database, 'cls_other', { tenantId: 'ten_b' });
  await open(database, 'cls_other', 'cluster', 'cls_other', { provider: 'eks', tier: 'extended', region: 'us-east-1' }, T0, 'ten_b');
  await rateDueHours(database, T0 + 3 * HOUR);
  return database;
}

test('the 90-minute cluster invoice: $0.15 control plane + $0.432 nodes + $0.003288 storage', async () => {
  const database = await scenario();
  const inv = await readInvoice(database.db, 'ten_a', '2026-01', Date.parse('2026-02-02T00:00:00Z'));
  assert.equal(inv.status, 'closed');
  assert.deepEqual(
    inv.lineItems.map((l) => [l.item, l.quantity, l.unit, l.unitPrice.amount, l.amount.amount]),
    [
      ['control-plane:standard', '1.5', 'cluster-hour', '0.10', '0.15'], // 1.5 h × 0.10
      ['node:m5.large', '4.5', 'instance-hour', '0.096', '0.43'], // 3 × 1.5 h × 0.096 = 0.432
      // 20 GiB × 1.5 h / 730 × 0.08 = 0.0032877: lines floor to 0.15 + 0.43 + 0.00 = 0.58, the total rounds
      // to 0.59, and the cent goes to the largest remainder (0.0032877 > 0.002), so the lines add up
      ['storage:gp3', '0.041096', 'GiB-month', '0.08', '0.01'],
    ],
  );
  // 150,000 + 432,000 + 2,192 + 1,096 µ$ = $0.585288
  assert.equal(inv.totalMicro, 585_288);
  assert.equal(inv.total.amount, '0.59');
  assert.deepEqual(
    inv.clusters.map((c) => [c.clusterId, c.subtotal.amount]),
    [['cls_a', '0.59']],
  );
});

test('usage grouped by cluster, line item, day and hour; tenants are isolated', async () => {
  const database = await scenario();
  const from = T0;
  const to = T0 + 24 * HOUR;
  const byCluster = await usageReport(database.db, 'ten_a', from, to, 'cluster', { realNowMs: T0 + 2 * HOUR });
  assert.deepEqual(
    byCluster.groups.map((g) => [g.clusterId, g.amount.amount]),
    [['cls_a', '0.59']],
  );
  const byItem = await usageReport(database.db, 'ten_a', from, to, 'lineItem', { realNowMs: T0 + 2 * HOUR });
  assert.deepEqual(
    byItem.groups.map((g) => [g.item, g.quantity, g.amount.amount]),
    [
      ['control-plane:standard', '1.5', '0.15'],
      ['node:m5.large', '4.5', '0.43'],
      ['storage:gp3', '0.041096', '0.01'], // largest remainder keeps the groups summing to the $0.59 total
    ],
  );
  assert.equal(byItem.total.amount, '0.59');
  const byDay = await usageReport(database.db, 'ten_a', from, to, 'day', { realNowMs: T0 + 2 * HOUR });
  assert.deepEqual(
    byDay.groups.map((g) => [g.day, g.amount.amount]),
    [['2026-01-01', '0.59']],
  );
  const byHour = await usageReport(database.db, 'ten_a', from, to, 'hour', { realNowMs: T0 + 2 * HOUR });
  assert.equal(byHour.groups.length, 6); // 2 hours × 3 line items
  assert.equal(byHour.groups[0].hour, '2026-01-01T00:00:00.000Z');
  const other = await usageReport(database.db, 'ten_b', from, to, 'cluster', { realNowMs: T0 + 2 * HOUR });
  assert.deepEqual(
    other.groups.map((g) => [g.clusterId, g.amount.amount]),
    [['cls_other', '1.20']],
  ); // 2 rated hours × $0.60
});

test('the current period is open with a forecast; periods are listed newest first', async () => {
  const database = billingDb();
  await addCluster(database, 'cls_a', { tenantId: 'ten_a' });
  await open(database, 'cls_a', 'cluster', 'cls_a', { provider: 'eks', tier: 'standard', region: 'us-east-1' }, T0, 'ten_a');
  await open(database, 'cls_a', 'node', 'n1', { instanceType: 'm5.large' }, T0, 'ten_a');
  const now = T0 + 10 * HOUR + 5 * MIN;
  await rateDueHours(database, now);
  const inv = await readInvoice(database.db, 'ten_a', '2026-01', now);
  assert.equal(inv.status, 'open');
  // 10 rated hours × (0.10 + 0.096) = 1.96, and the 5 minutes of the hour not rated yet: 0.016333
  assert.equal(inv.total.amount, '1.98');
  assert.equal(inv.estimated.amount, '0.02');
  assert.equal(inv.ratedThrough, '2026-01-01T10:00:00.000Z');
  // month to date (10 h 5 min) plus the 733 h 55 min left at $0.196/h: all of January's 744 h = 145.824
  assert.equal(inv.forecast?.amount, '145.82');
  assert.deepEqual(await invoicePeriods(database.db, 'ten_a', now), ['2026-01']);
  // By 5 March the cluster has run through February too, unrated: that month has an invoice as well.
  assert.deepEqual(await invoicePeriods(database.db, 'ten_a', Date.parse('2026-03-05T00:00:00Z')), ['2026-03', '2026-02', '2026-01']);
  // Stopped on 10 January and rated through it, nothing is left unrated: only the months with hours and the current one.
  await database.atomicWrite([closeClusterIntervals(database.db, 'cls_a', T0 + 9 * 24 * HOUR)]);
  await rateDueHours(database, Date.parse('2026-03-05T00:00:00Z'), { maxHoursPerCluster: 10_000 });
  assert.deepEqual(await invoicePeriods(database.db, 'ten_a', Date.parse('2026-03-05T00:00:00Z')), ['2026-03', '2026-01']);
});
