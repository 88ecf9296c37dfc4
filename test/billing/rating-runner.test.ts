import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rateDueHours, rateHours } from '../../src/billing/rating/runner.ts';
import { closeClusterIntervals } from '../../src/billing/intervals.ts';
import { billingCursors } from '../../src/store/schema/index.ts';
import { addCluster, allRecords, billingDb, close, GiB, HOUR, MIN, open, T0 } from './helpers.ts';

/** EKS us-east-1: a cluster, 3 × m5.large and a 20 GiB gp3 volume from T0, all deleted at T0 + 90 min. */
async function ninetyMinuteCluster() {
  const database = billingDb();
  await addCluster(database, 'cls_a');
  await open(database, 'cls_a', 'cluster', 'cls_a', { provider: 'eks', tier: 'standard', region: 'us-east-1' }, T0);
  for (const n of ['n1', 'n2', 'n3']) await open(database, 'cls_a', 'node', n, { instanceType: 'm5.large' }, T0);
  await open(database, 'cls_a', 'volume', 'pv-data', { sizeBytes: 20 * GiB, storageClass: 'gp3' }, T0);
  await database.atomicWrite([closeClusterIntervals(database.db, 'cls_a', T0 + 90 * MIN)]);
  return database;
}

test('3 nodes for 90 minutes and a 20 GiB volume produce exactly these records', async () => {
  const database = await ninetyMinuteCluster();
  const summary = await rateDueHours(database, T0 + 3 * HOUR);
  assert.equal(summary.clusters, 1);
  const rows = (await allRecords(database)).map((r) => [r.hourStart - T0, r.lineItem, r.subject, r.amountMicro, r.quantityMicro]);
  assert.deepEqual(rows, [
    // hour 0: full hour of everything
    [0, 'control-plane:standard', 'cls_a', 100_000, 1_000_000], // $0.10
    [0, 'node:m5.large', 'n1', 96_000, 1_000_000], // $0.096
    [0, 'node:m5.large', 'n2', 96_000, 1_000_000],
    [0, 'node:m5.large', 'n3', 96_000, 1_000_000],
    [0, 'storage:gp3', 'pv-data', 2_192, 27_397], // 20 GiB × $0.08 / 730 h = $0.00219178
    // hour 1: 30 minutes
    [HOUR, 'control-plane:standard', 'cls_a', 50_000, 500_000],
    [HOUR, 'node:m5.large', 'n1', 48_000, 500_000],
    [HOUR, 'node:m5.large', 'n2', 48_000, 500_000],
    [HOUR, 'node:m5.large', 'n3', 48_000, 500_000],
    [HOUR, 'storage:gp3', 'pv-data', 1_096, 13_699], // half of the above: $0.00109589
  ]);
  // the cursor (T0 + 2 h) is past every interval's end: later passes have nothing to do
  assert.equal((await rateDueHours(database, T0 + 30 * HOUR)).clusters, 0);
  assert.equal((await allRecords(database)).length, 10);
});

test('re-rating the same hours changes nothing', async () => {
  const database = await ninetyMinuteCluster();
  await rateDueHours(database, T0 + 3 * HOUR);
  const before = await allRecords(database);
  await rateHours(database, T0, T0 + 2 * HOUR);
  await rateHours(database, T0, T0 + 2 * HOUR);
  assert.deepEqual(await allRecords(database), before);
});

test('a crash between state change and rating loses nothing: missed hours are caught up', async () => {
  const database = billingDb();
  await addCluster(database, 'cls_a');
  await open(database, 'cls_a', 'cluster', 'cls_a', { provider: 'eks', tier: 'standard', region: 'us-east-1' }, T0);
  await open(database, 'cls_a', 'node', 'n1', { instanceType: 'm5.large' }, T0 + 10 * MIN);
  // the rater is down for 5 hours; the node goes away meanwhile
  await close(database, 'cls_a', 'node', 'n1', T0 + 2 * HOUR + 10 * MIN);
  const summary = await rateDueHours(database, T0 + 5 * HOUR + 2 * MIN);
  assert.equal(summary.hours, 5);
  const records = await allRecords(database);
  const total = (item: string) => records.filter((r) => r.lineItem === item).reduce((a, r) => a + r.amountMicro, 0);
  assert.equal(total('control-plane:standard'), 500_000); // 5 h × $0.10
  assert.equal(total('node:m5.large'), 192_000); // exactly 2 h × $0.096
  const [cursor] = await database.db.select().from(billingCursors).all();
  assert.equal(cursor.ratedUntil, T0 + 5 * HOUR);
});

test('an hour is rated only once it has settled in the cluster clock', async () => {
  const database = billingDb();
  await addCluster(database, 'cls_a');
  await open(database, 'cls_a', 'cluster', 'cls_a', { provider: 'eks', tier: 'standard', region: 'us-east-1' }, T0);
  assert.equal((await rateDueHours(database, T0 + HOUR + 30_000)).hours, 0); // 30 s after the hour: not yet
  assert.equal((await rateDueHours(database, T0 + HOUR + 61_000)).hours, 1);
});

test('an accelerated cluster accrues hours in its own clock (60×: an hour per real minute)', async () => {
  const database = billingDb();
  await addCluster(database, 'cls_fast', { timeScale: 60 });
  await open(database, 'cls_fast', 'cluster', 'cls_fast', { provider: 'eks', tier: 'standard', region: 'us-east-1' }, T0);
  // 10 real minutes = 10 cluster hours; the settle time is 5 real s = 300 cluster s, so 9 are final
  const summary = await rateDueHours(database, T0 + 10 * MIN);
  assert.equal(summary.hours, 9);
  const records = await allRecords(database);
  assert.equal(
    records.reduce((a, r) => a + r.amountMicro, 0),
    900_000,
  );
});

test('deleting the cluster stops billing to the second', async () => {
  const database = billingDb();
  await addCluster(database, 'cls_a');
  await open(database, 'cls_a', 'cluster', 'cls_a', { provider: 'eks', tier: 'standard', region: 'us-east-1' }, T0);
  await open(database, 'cls_a', 'node', 'n1', { instanceType: 'm5.large' }, T0);
  await database.atomicWrite([closeClusterIntervals(database.db, 'cls_a', T0 + 45 * MIN + 17_000)]);
  await rateDueHours(database, T0 + 3 * HOUR);
  const records = await allRecords(database);
  assert.equal(records.length, 2);
  // 2,717 s: $0.10 × 2717 / 3600 = $0.0754722 and $0.096 × 2717 / 3600 = $0.0724533
  assert.deepEqual(
    records.map((r) => [r.billedMs, r.amountMicro]),
    [
      [2_717_000, 75_472],
      [2_717_000, 72_453],
    ],
  );
});

test('a pass is capped per cluster and reports more work', async () => {
  const database = billingDb();
  await addCluster(database, 'cls_a');
  await open(database, 'cls_a', 'cluster', 'cls_a', { provider: 'eks', tier: 'standard', region: 'us-east-1' }, T0);
  const first = await rateDueHours(database, T0 + 10 * HOUR, { maxHoursPerCluster: 4 });
  assert.deepEqual([first.hours, first.more], [4, true]);
  const second = await rateDueHours(database, T0 + 10 * HOUR, { maxHoursPerCluster: 4 });
  assert.deepEqual([second.hours, second.more], [4, true]);
  const third = await rateDueHours(database, T0 + 10 * HOUR, { maxHoursPerCluster: 4 });
  assert.deepEqual([third.hours, third.more], [1, false]);
  assert.equal((await allRecords(database)).length, 9);
});
