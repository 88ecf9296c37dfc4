import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newlyCrossed, validThresholds } from '../../src/billing/budgets/thresholds.ts';
import { createBudget, deleteBudget, listAlerts, listBudgets } from '../../src/billing/budgets/budgets.ts';
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

  // 2 h × $0.60 = $1.20 of $3.00: 40%, nothing yet
  let r = await runBillingCycle({ database, nowMs: T0 + 2 * HOUR + 2 * 60_000, fetch: fetchOk });
  assert.equal(r.alerts, 0);
  // 3 h = $1.80: 60% → the 50% alert
  r = await runBillingCycle({ database, nowMs: T0 + 3 * HOUR + 2 * 60_000, fetch: fetchOk });
  assert.equal(r.alerts, 1);
  assert.deepEqual(r.webhooks, { delivered: 1, failed: 0 });
  // 6 h = $3.60: 120% → the 100% alert; the 50% one is not repeated
  await runBillingCycle({ database, nowMs: T0 + 6 * HOUR + 2 * 60_000, fetch: fetchOk });
  const alerts = await listAlerts(database.db, 'ten_a');
  assert.deepEqual(alerts.map((a) => [a.thresholdPercent, a.period, a.spent.amount, a.budget.amount, a.webhook.status]), [
    [100, '2026-01', '3.60', '3.00', 'delivered'],
    [50, '2026-01', '1.80', '3.00', 'delivered'],
  ]);
  assert.equal(posts.length, 2);
  assert.equal(posts[0].url, 'https://hooks.example/billing');
  assert.equal(posts[0].body.type, 'billing.budget.threshold');
  assert.equal(posts[0].body.alert.thresholdPercent, 50);
  assert.equal(posts[0].body.alert.budgetName, 'monthly');
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
