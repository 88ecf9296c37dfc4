import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rateDueHours } from '../../src/billing/rating/runner.ts';
import { closeClusterIntervals } from '../../src/billing/intervals.ts';
import { tenants } from '../../src/store/schema/index.ts';
import { ManualClock } from '../helpers/store.ts';
import { addCluster, billingDb, GiB, HOUR, MIN, open, T0 } from './helpers.ts';
import { as, billingApiApp, json } from './api-app.ts';

/** The 90-minute cluster of tenant ten_a with a web pod, rated; the API clock is in February unless told. */
async function setup(apiNow = Date.parse('2026-02-03T00:00:00Z')) {
  const database = billingDb();
  await database.db.insert(tenants).values({ id: 'ten_a', name: 'acme', plan: 'standard', createdAt: T0 }).run();
  await addCluster(database, 'cls_a', { tenantId: 'ten_a' });
  await addCluster(database, 'cls_b', { tenantId: 'ten_b' });
  const at = (kind: Parameters<typeof open>[2], subject: string, attrs: object) => open(database, 'cls_a', kind, subject, attrs as never, T0, 'ten_a');
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
    claims: ['data'],
  });
  await database.atomicWrite([closeClusterIntervals(database.db, 'cls_a', T0 + 90 * MIN)]);
  await rateDueHours(database, T0 + 3 * HOUR);
  const clock = new ManualClock(apiNow);
  return { database, app: billingApiApp(database, clock) };
}

test('invoice as JSON and CSV; listed with the open current month', async () => {
  const { app } = await setup();
  const res = await app.request('/v1/billing/invoices/2026-01', as('billing'));
  assert.equal(res.status, 200);
  const inv = await json(res);
  assert.equal(inv.status, 'closed');
  assert.deepEqual(inv.total, { amount: '0.59', currency: 'USD' });
  assert.deepEqual(
    inv.lineItems.map((l: any) => [l.item, l.quantity, l.amount.amount]),
    [
      ['control-plane:standard', '1.5', '0.15'],
      ['node:m5.large', '4.5', '0.43'],
      ['storage:gp3', '0.041096', '0.01'],
    ],
  );
  assert.equal(inv.totalMicro, undefined);
  const csv = await app.request('/v1/billing/invoices/2026-01', as('owner', 'ten_a', { accept: 'text/csv' }));
  assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
  const text = await csv.text();
  assert.ok(text.startsWith('period,cluster_id,provider,item,'));
  assert.ok(text.trimEnd().endsWith('2026-01,,,total,Total,,,,0.59,USD'));
  const list = await json(await app.request('/v1/billing/invoices', as('billing')));
  assert.deepEqual(
    list.items.map((i: any) => [i.period, i.status, i.total.amount]),
    [
      ['2026-02', 'open', '0.00'],
      ['2026-01', 'closed', '0.59'],
    ],
  );
});

test('usage by line item over a window', async () => {
  const { app } = await setup();
  const res = await app.request('/v1/billing/usage?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&groupBy=lineItem', as('owner'));
  assert.equal(res.status, 200);
  const body = await json(res);
  assert.deepEqual(
    body.groups.map((g: any) => [g.item, g.quantity, g.unitPrice.amount]),
    [
      ['control-plane:standard', '1.5', '0.10'],
      ['node:m5.large', '4.5', '0.096'],
      ['storage:gp3', '0.041096', '0.08'],
    ],
  );
  assert.equal(body.total.amount, '0.59');
  const bad = await app.request('/v1/billing/usage?groupBy=week', as('owner'));
  assert.equal(bad.status, 422);
  assert.equal((await json(bad)).error.code, 'VALIDATION_FAILED');
});

test('cluster costs reconcile with the invoice; compare has one result per provider and tier', async () => {
  const { app } = await setup();
  const costs = await json(await app.request('/v1/clusters/cls_a/costs?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&groupBy=workload', as('billing')));
  assert.equal(costs.total.amount, '0.59');
  assert.equal(costs.allocations[0].name, 'web/Deployment/web');
  const parts = [...costs.allocations.map((a: any) => a.totalCost.amount), costs.idle.totalCost.amount, costs.overhead.controlPlaneCost.amount];
  assert.equal(
    parts.reduce((s: number, x: string) => s + Math.round(Number(x) * 100), 0),
    59,
  );
  const compare = await json(await app.request('/v1/clusters/cls_a/costs/compare?from=2026-01-01T00:00:00Z&to=2026-01-01T02:00:00Z', as('owner')));
  assert.deepEqual(compare.actual, { provider: 'eks', tier: 'standard', region: 'us-east-1' });
  assert.deepEqual(
    compare.results.map((r: any) => `${r.provider}/${r.tier}`),
    ['eks/standard', 'eks/extended', 'gke/standard', 'gke/autopilot', 'aks/free', 'aks/standard', 'aks/premium'],
  );
  assert.equal(compare.results[0].total.amount, '0.59');
  assert.deepEqual(compare.results[4].nodeTypes, [{ recorded: 'm5.large', priced: 'Standard_D2s_v3' }]);
});

test('estimate: 3 × m5.large on EKS standard for 730 h is $283.24; unknown types are 422', async () => {
  const { app } = await setup();
  const post = (body: unknown) =>
    app.request('/v1/estimates', { method: 'POST', headers: { 'x-test-role': 'developer', 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const res = await post({ provider: 'eks', region: 'us-east-1', nodePools: [{ instanceType: 'm5.large', count: 3 }] });
  assert.equal(res.status, 200);
  const body = await json(res);
  assert.equal(body.hours, 730);
  assert.equal(body.results.find((r: any) => r.provider === 'eks' && r.tier === 'standard').total.amount, '283.24');
  const withPods = await json(
    await post({
      provider: 'gke',
      region: 'us-central1',
      nodePools: [{ instanceType: 'e2-standard-2', count: 1 }],
      hours: 10,
      workloads: [{ name: 'web', replicas: 4, cpu: '250m', memory: '512Mi' }],
    }),
  );
  // Autopilot, 10 h: 4 × 0.25 vCPU × 0.0445 = 0.0445/h; 4 × 0.5 GiB × 0.0049225 = 0.009845/h; 4 × 1 GiB × 0.0000548 = 0.0002192/h
  // → 10 × 0.0545642 = 0.545642, plus the $1.00 fee minus its free-tier credit
  assert.equal(withPods.results.find((r: any) => r.tier === 'autopilot').total.amount, '0.55');
  const bad = await post({ provider: 'eks', region: 'us-central1', nodePools: [{ instanceType: 'e2-standard-2', count: 1 }] });
  assert.equal(bad.status, 422);
  const err = await json(bad);
  assert.deepEqual(
    err.error.details.issues.map((i: any) => i.field),
    ['region', 'nodePools.0.instanceType'],
  );
});

test('budgets: create, list, thresholds already passed at creation do not alert, delete', async () => {
  const { app } = await setup(Date.parse('2026-01-20T00:00:00Z'));
  const create = await app.request('/v1/billing/budgets', {
    method: 'POST',
    headers: { 'x-test-role': 'billing', 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'tiny', amount: '0.50', thresholds: [100, 50] }),
  });
  assert.equal(create.status, 201);
  const budget = await json(create);
  assert.deepEqual([budget.amount, budget.thresholds, budget.scope], [{ amount: '0.50', currency: 'USD' }, [50, 100], {}]);
  assert.deepEqual([budget.status.period, budget.status.spent.amount], ['2026-01', '0.59']);
  assert.equal(create.headers.get('location'), `/v1/billing/budgets/${budget.id}`);
  // January's $0.59 was past both thresholds of $0.50 before the budget existed: no alert
  assert.deepEqual((await json(await app.request('/v1/billing/alerts', as('owner')))).items, []);
  assert.equal((await json(await app.request('/v1/billing/budgets', as('owner')))).items.length, 1);
  assert.equal((await app.request(`/v1/billing/budgets/${budget.id}`, { method: 'DELETE', ...as('owner', 'ten_b') })).status, 404);
  assert.equal((await app.request(`/v1/billing/budgets/${budget.id}`, { method: 'DELETE', ...as('owner') })).status, 204);
  const badAmount = await app.request('/v1/billing/budgets', {
    method: 'POST',
    headers: { 'x-test-role': 'owner', 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'x', amount: '1e3' }),
  });
  assert.equal(badAmount.status, 422);
  const otherCluster = await app.request('/v1/billing/budgets', {
    method: 'POST',
    headers: { 'x-test-role': 'owner', 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'x', amount: '10', scope: { clusterId: 'cls_b' } }),
  });
  assert.equal(otherCluster.status, 422);
  assert.equal((await json(otherCluster)).error.details.issues[0].field, 'scope.clusterId');
});

test("security: only owner and billing read billing; another tenant's cluster is 404; no token is 401", async () => {
  const { app } = await setup();
  for (const role of ['developer', 'viewer'] as const) {
    const res = await app.request('/v1/billing/invoices/2026-01', as(role));
    assert.equal(res.status, 403, role);
    assert.equal((await json(res)).error.code, 'FORBIDDEN');
    assert.equal((await app.request('/v1/clusters/cls_a/costs', as(role))).status, 403);
  }
  assert.equal((await app.request('/v1/clusters/cls_b/costs', as('owner'))).status, 404);
  assert.equal((await app.request('/v1/clusters/cls_b/costs/compare', as('billing'))).status, 404);
  assert.equal((await app.request('/v1/billing/usage')).status, 401);
  const other = await json(await app.request('/v1/billing/invoices/2026-01', as('owner', 'ten_b')));
  assert.deepEqual([other.lineItems, other.total.amount], [[], '0.00']);
  assert.equal((await app.request('/v1/billing/invoices/2026-13', as('owner'))).status, 422);
});

test('the routes produce a valid OpenAPI document', async () => {
  const { app } = await setup();
  const doc = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } });
  for (const path of [
    '/v1/billing/usage',
    '/v1/billing/invoices',
    '/v1/billing/invoices/{period}',
    '/v1/billing/budgets',
    '/v1/billing/budgets/{budgetId}',
    '/v1/billing/alerts',
    '/v1/clusters/{clusterId}/costs',
    '/v1/clusters/{clusterId}/costs/compare',
    '/v1/estimates',
  ]) {
    assert.ok(doc.paths?.[path], path);
  }
  assert.ok(doc.components?.schemas?.Money && doc.components.schemas.PricedResult && doc.components.schemas.Invoice);
});
