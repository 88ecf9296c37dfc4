import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newlyCrossed, validThresholds } from '../../src/billing/budgets/thresholds.ts';
import { createBudget, deleteBudget, listAlerts, listBudgets } from '../../src/billing/budgets/budgets.ts';
import { evaluateBudgets } from '../../src/billing/budgets/evaluate.ts';
import { scopedSpent } from '../../src/billing/budgets/status.ts';
import { periodOf } from '../../src/billing/reports/periods.ts';
import { runBillingCycle } from '../../src/billing/cycle.ts';
import { tenants } from '../../src/store/schema/index.ts';
import type { FetchLike } from '../../src/billing/budgets/webhooks.ts';
import { addCluster, billingDb, HOUR, open, T0 } from './helpers.ts';

test('thresholds: reached ones without an alert yet, ascending, in integer arithmetic', () => {
  // budget $10: spent $8.00 reaches 50 and 80, not 100
  assert.deepEqual(newlyCrossed([100, 50, 80], 10_000_000, 8_000_000, []), [50, 80]);
  assert.deepEqual(newlyCrossed([50, 80, 100], 10_000_000, 8_000_000, [50]), [80]);
  assert.deepEqual(newlyCrossed([80], 10_000_000, 7_999_999, []), []);
  assert.ok(validThresholds([50, 100, 150]));
  assert.ok(!validThresholds([]));
  assert.ok(!validThresholds([0.5]));
});

async function tenantWithCluster(webhookUrl: string | null) {
  const database = billingDb();
  await database.db.insert(tenants).values({ id: 'ten_a', name: 'acme', plan: 'standard', webhookUrl, createdAt: T0 }).run();
  await addCluster(database, 'cls_a', { tenantId: 'ten_a' });
  // EKS extended: $0.60 per hour
  await open(database, 'cls_a', 'cluster', 'cls_a', { provider: 'eks', tier: 'extended', region: 'us-east-1' }, T0, 'ten_a');
  return database;
}

test('crossing thresholds records one alert each, once, and posts the tenant webhook', async () => {
  const database = await tenantWithCluster('https://hooks.example/billing');
  const budget = await createBudget(database, { tenantId: 'ten_a', name: 'monthly', amountMicro: 3_000_000, thresholds: [50, 100], nowMs: T0 });
  assert.deepEqual(await listBudgets(database.db, 'ten_a'), [budget]);
  const posts: Array<{ url: string; body: any }> = [];
  const fetchOk: FetchLike = async (url, init) => {
    posts.push({ url, body: JSON.parse(init.body) });
    return { ok: true, status: 204 };
  };

  // 2 h rated × $0.60 + 2 min estimated = $1.22 of $3.00: 40%, nothing yet
  let r = await runBillingCycle({ database, nowMs: T0 + 2 * HOUR + 2 * 60_000, fetch: fetchOk });
  assert.equal(r.alerts, 0);
  // 3 h 2 min = $1.82: 60% → the 50% alert
  r = await runBillingCycle({ database, nowMs: T0 + 3 * HOUR + 2 * 60_000, fetch: fetchOk });
  assert.equal(r.alerts, 1);
  assert.deepEqual(r.webhooks, { delivered: 1, failed: 0 });
  // 6 h 2 min = $3.62: 120% → the 100% alert; the 50% one is not repeated
  await runBillingCycle({ database, nowMs: T0 + 6 * HOUR + 2 * 60_000, fetch: fetchOk });
  const alerts = await listAlerts(database.db, 'ten_a');
  assert.deepEqual(
    alerts.map((a) => [a.thresholdPercent, a.period, a.spent.amount, a.estimated.amount, a.ratedThrough, a.budget.amount, a.webhook.status]),
    [
      [100, '2026-01', '3.62', '0.02', '2026-01-01T06:00:00.000Z', '3.00', 'delivered'],
      [50, '2026-01', '1.82', '0.02', '2026-01-01T03:00:00.000Z', '3.00', 'delivered'],
    ],
  );
  assert.equal(posts.length, 2);
  assert.equal(posts[0].url, 'https://hooks.example/billing');
  assert.equal(posts[0].body.type, 'billing.budget.threshold');
  assert.equal(posts[0].body.alert.thresholdPercent, 50);
  assert.equal(posts[0].body.alert.budgetName, 'monthly');
  assert.equal(posts[0].body.alert.estimated.amount, '0.02');
  assert.deepEqual(await listAlerts(database.db, 'ten_b'), []);
});

test('a failing webhook is retried on later runs, three attempts in all', async () => {
  const database = await tenantWithCluster('https://hooks.example/down');
  await createBudget(database, { tenantId: 'ten_a', name: 'tiny', amountMicro: 100_000, thresholds: [100], nowMs: T0 });
  let calls = 0;
  const failing: FetchLike = async () => {
    calls += 1;
    throw new Error('connection refused');
  };
  for (let h = 2; h <= 6; h++) await runBillingCycle({ database, nowMs: T0 + h * HOUR + 2 * 60_000, fetch: failing });
  assert.equal(calls, 3);
  const [alert] = await listAlerts(database.db, 'ten_a');
  assert.deepEqual(alert.webhook, { status: 'failed', attempts: 3 });
});

test('without a webhook the alert is only recorded; deleting a budget keeps its alerts', async () => {
  const database = await tenantWithCluster(null);
  const budget = await createBudget(database, { tenantId: 'ten_a', name: 'b', amountMicro: 100_000, thresholds: [100], nowMs: T0 });
  await runBillingCycle({ database, nowMs: T0 + 2 * HOUR, fetch: async () => assert.fail('no webhook configured') });
  assert.equal((await listAlerts(database.db, 'ten_a'))[0].webhook.status, 'none');
  assert.equal(await deleteBudget(database, 'ten_b', budget.id), false); // another tenant's budget is not found
  assert.equal(await deleteBudget(database, 'ten_a', budget.id), true);
  assert.deepEqual(await listBudgets(database.db, 'ten_a'), []);
  assert.equal((await listAlerts(database.db, 'ten_a')).length, 1);
});

test('alerts count the estimated hours, say how much was estimated, and do not fire again when the rating catches up', async () => {
  const database = await tenantWithCluster(null);
  await createBudget(database, { tenantId: 'ten_a', name: 'monthly', amountMicro: 3_000_000, thresholds: [50, 100], nowMs: T0 });
  // Nothing rated yet (the billing cycle has not run): 2 h 30 min × $0.60 = $1.50, all of it an estimate → 50 %
  assert.deepEqual(await evaluateBudgets(database, T0 + 150 * 60_000), { alerts: 1 });
  let alerts = await listAlerts(database.db, 'ten_a');
  assert.deepEqual(
    alerts.map((a) => [a.thresholdPercent, a.spent.amount, a.estimated.amount, a.ratedThrough]),
    [[50, '1.50', '1.50', '2026-01-01T00:00:00.000Z']],
  );

  // The rating catches up with those hours and more: 3 h rated + 2 min = $1.82; the 50 % alert is not repeated.
  const r = await runBillingCycle({ database, nowMs: T0 + 3 * HOUR + 2 * 60_000, fetch: async () => assert.fail('no webhook configured') });
  assert.equal(r.rating.hours, 3);
  assert.equal(r.alerts, 0);
  assert.equal((await listAlerts(database.db, 'ten_a')).length, 1);

  // 5 h rated and 10 min estimated = $3.10 → the 100 % alert, raised before the hour it crossed in is rated.
  assert.equal((await runBillingCycle({ database, nowMs: T0 + 5 * HOUR + 10 * 60_000, fetch: async () => ({ ok: true, status: 204 }) })).alerts, 1);
  alerts = await listAlerts(database.db, 'ten_a');
  assert.deepEqual(
    alerts.map((a) => [a.thresholdPercent, a.spent.amount, a.estimated.amount, a.ratedThrough]),
    [
      [100, '3.10', '0.10', '2026-01-01T05:00:00.000Z'],
      [50, '1.50', '1.50', '2026-01-01T00:00:00.000Z'],
    ],
  );
  // Once every hour is rated, nothing more fires.
  assert.equal((await runBillingCycle({ database, nowMs: T0 + 8 * HOUR + 2 * 60_000 })).alerts, 0);
  assert.equal((await listAlerts(database.db, 'ten_a')).length, 2);
});

test('a budget created over the estimated spend does not alert, not even once the rating catches up', async () => {
  const database = await tenantWithCluster(null);
  // 4 h 30 min run, none rated: $2.70 spent, all estimated
  const now = T0 + 270 * 60_000;
  const spent = await scopedSpent(database.db, 'ten_a', {}, periodOf(now), now);
  assert.equal(spent, 2_700_000);
  await createBudget(database, {
    tenantId: 'ten_a',
    name: 'late',
    amountMicro: 3_000_000,
    thresholds: [50, 80, 100],
    nowMs: now,
    baseline: { period: periodOf(now), spentMicro: spent },
  });
  assert.deepEqual(await evaluateBudgets(database, now), { alerts: 0 });
  // The rating writes those hours: $2.70 rated is still what the baseline held; then $3.00 is crossed.
  assert.equal((await runBillingCycle({ database, nowMs: now + 60_000 })).alerts, 0);
  assert.equal((await runBillingCycle({ database, nowMs: T0 + 5 * HOUR + 2 * 60_000 })).alerts, 1);
  assert.deepEqual(
    (await listAlerts(database.db, 'ten_a')).map((a) => [a.thresholdPercent, a.spent.amount]),
    [[100, '3.02']],
  );
});
