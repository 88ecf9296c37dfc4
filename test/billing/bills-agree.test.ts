import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq, isNull } from 'drizzle-orm';
import { startHarness, defaultClusterBody, type Harness } from '../helpers/harness.ts';
import { ManualClock } from '../helpers/store.ts';
import { runBillingCycle } from '../../src/billing/cycle.ts';
import { usageIntervals } from '../../src/store/schema/index.ts';
import { readChangePoints } from '../../src/metrics/read.ts';

/**
 * Issue 16: for one EKS cluster, usage said $0.05, the invoice $20.21 and compare $9.32 at the same
 * moment, and right after `clock:advance` usage was empty until the next rating. Every report now
 * counts the rated hours and an estimate of the rest, up to the cluster's now, and says up to when
 * it is rated. The service's clock stands still, so every figure below is exact.
 */
const T0 = Date.parse('2026-03-01T00:00:00Z');

let h: Harness;
let clock: ManualClock;
before(async () => {
  clock = new ManualClock(T0);
  h = await startHarness({ clock });
});
after(() => h.stop());

async function reports(token: string, clusterId: string) {
  const usage = await h.request('GET', '/v1/billing/usage?groupBy=cluster', { token });
  const invoice = await h.request('GET', '/v1/billing/invoices/2026-03', { token });
  const compare = await h.request('GET', `/v1/clusters/${clusterId}/costs/compare`, { token });
  const costs = await h.request('GET', `/v1/clusters/${clusterId}/costs?groupBy=workload`, { token });
  for (const r of [usage, invoice, compare, costs]) assert.equal(r.status, 200, r.text);
  const actual = compare.body.results.find((r: any) => r.provider === 'eks' && r.tier === 'standard');
  return { usage: usage.body, invoice: invoice.body, compare: compare.body, actual, costs: costs.body };
}

test('usage, invoice, compare and costs agree to the cent right after clock:advance and after rating', async () => {
  const owner = await h.tenant();
  const cluster = await h.runningCluster(owner.token, { ...defaultClusterBody(), nodePools: [{ name: 'default', instanceType: 'm5.large', count: 3 }] });
  const adv = await h.request('POST', `/v1/clusters/${cluster.id}/clock:advance`, { token: owner.token, body: { seconds: 24 * 3600 } });
  assert.equal(adv.status, 200);

  // Nothing is rated yet: every report holds the 24 h as an estimate. 24 × (0.10 + 3 × 0.096) = 9.312
  const before = await reports(owner.token, cluster.id);
  assert.equal(before.usage.total.amount, '9.31');
  assert.equal(before.usage.estimated.amount, '9.31');
  assert.equal(before.usage.ratedThrough, '2026-03-01T00:00:00.000Z');
  assert.deepEqual(
    before.usage.groups.map((g: any) => [g.clusterId, g.amount.amount]),
    [[cluster.id, '9.31']],
  );
  assert.equal(before.invoice.subtotal.amount, '9.31');
  assert.equal(before.invoice.estimated.amount, '9.31');
  assert.equal(before.actual.total.amount, '9.31');
  assert.equal(before.compare.estimated.amount, '9.31');
  assert.equal(before.costs.total.amount, '9.31');
  // The forecast: all of March's 744 h with the three nodes that run now, and EKS 1.32 leaving standard
  // support on 23 March (its last 192 h at the extended $0.60, not $0.10): 744 × 0.388 + 192 × 0.50 = 384.672
  assert.equal(before.invoice.forecast.amount, '384.67');

  // The billing cycle rates every hour that ended a settle time ago: 23 of them.
  await runBillingCycle({ database: h.runtime.deps.database, nowMs: clock.now() });
  const rated = await reports(owner.token, cluster.id);
  for (const amount of [rated.usage.total, rated.invoice.subtotal, rated.actual.total, rated.costs.total]) assert.equal(amount.amount, '9.31');
  assert.equal(rated.usage.ratedThrough, '2026-03-01T23:00:00.000Z');
  assert.equal(rated.invoice.ratedThrough, '2026-03-01T23:00:00.000Z');
  assert.equal(rated.compare.ratedThrough, '2026-03-01T23:00:00.000Z');
  assert.equal(rated.usage.estimated.amount, '0.39'); // the last hour, 0.388
  const byHour = await h.request('GET', '/v1/billing/usage?groupBy=hour', { token: owner.token });
  const flags = byHour.body.groups.map((g: any) => [g.hour, g.estimated === true]);
  assert.deepEqual(flags[0], ['2026-03-01T00:00:00.000Z', false]);
  assert.deepEqual(flags.at(-1), ['2026-03-01T23:00:00.000Z', true]);
  // An explicit window says the same.
  const explicit = await h.request('GET', '/v1/billing/usage?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&groupBy=lineItem', { token: owner.token });
  assert.equal(explicit.body.total.amount, '9.31');

  // Scale in to one node: the forecast prices what runs now, not the last rated hour's three nodes.
  const patch = await h.request('PATCH', `/v1/clusters/${cluster.id}`, {
    token: owner.token,
    body: { nodePools: [{ name: 'default', count: 1, minCount: 1 }] },
  });
  assert.equal(patch.status, 202, patch.text);
  const { database } = h.runtime.deps;
  await h.waitFor(
    async () => {
      const open = await database.db
        .select()
        .from(usageIntervals)
        .where(and(eq(usageIntervals.clusterId, cluster.id), eq(usageIntervals.kind, 'node'), isNull(usageIntervals.endedAt)))
        .all();
      return open.length === 1;
    },
    'two nodes removed',
    30_000,
  );
  const scaled = await reports(owner.token, cluster.id);
  assert.equal(scaled.invoice.subtotal.amount, '9.31');
  // 9.312 so far + 720 h left × (0.10 + 0.096) + 192 h of extended support × 0.50 = 9.312 + 141.12 + 96 = 246.432
  assert.equal(scaled.invoice.forecast.amount, '246.43');
});

test('a month with only unrated hours is listed, priced with the estimate, and agrees with usage and compare to the cent', async () => {
  const owner = await h.tenant();
  const cluster = await h.runningCluster(owner.token, {
    ...defaultClusterBody(),
    kubernetesVersion: '1.33',
    nodePools: [{ name: 'default', instanceType: 'm5.large', count: 2 }],
  });
  // 31 days and 5 hours (an advance moves at most 30 days): the cluster's clock is in April, and the billing cycle has not run.
  for (const hours of [30 * 24, 24 + 5]) {
    const adv = await h.request('POST', `/v1/clusters/${cluster.id}/clock:advance`, { token: owner.token, body: { seconds: hours * 3600 } });
    assert.equal(adv.status, 200, adv.text);
  }
  const list = await h.request('GET', '/v1/billing/invoices', { token: owner.token });
  assert.equal(list.status, 200, list.text);
  // March: 744 h × (0.10 + 2 × 0.096) = 217.248; April: 5 h × 0.292 = 1.46; neither rated.
  assert.deepEqual(
    list.body.items.map((i: any) => [i.period, i.total.amount, i.estimated.amount, i.ratedThrough]),
    [
      ['2026-04', '1.46', '1.46', '2026-04-01T00:00:00.000Z'],
      ['2026-03', '217.25', '217.25', '2026-03-01T00:00:00.000Z'],
    ],
  );
  const april = { from: '2026-04-01T00:00:00Z', to: '2026-05-01T00:00:00Z' };
  const usage = await h.request('GET', `/v1/billing/usage?from=${april.from}&to=${april.to}&groupBy=cluster`, { token: owner.token });
  const invoice = await h.request('GET', '/v1/billing/invoices/2026-04', { token: owner.token });
  const compare = await h.request('GET', `/v1/clusters/${cluster.id}/costs/compare?from=${april.from}&to=${april.to}`, { token: owner.token });
  for (const r of [usage, invoice, compare]) assert.equal(r.status, 200, r.text);
  const actual = compare.body.results.find((r: any) => r.provider === 'eks' && r.tier === 'standard');
  for (const amount of [usage.body.total, invoice.body.subtotal, invoice.body.total, actual.total]) assert.equal(amount.amount, '1.46');

  // Once the billing cycle has rated March (a pass rates at most 168 h a cluster), the list says so and the amounts stay.
  for (let i = 0; i < 6; i++) await runBillingCycle({ database: h.runtime.deps.database, nowMs: clock.now() });
  const rated = await h.request('GET', '/v1/billing/invoices', { token: owner.token });
  assert.deepEqual(
    rated.body.items.map((i: any) => [i.period, i.total.amount, i.estimated.amount, i.ratedThrough]),
    [
      ['2026-04', '1.46', '0.29', '2026-04-01T04:00:00.000Z'],
      ['2026-03', '217.25', '0.00', '2026-04-01T00:00:00.000Z'], // all of March is rated
    ],
  );
});

test('POST /v1/estimates takes the create-cluster body as it is and answers like compare', async () => {
  const owner = await h.tenant();
  const body = {
    ...defaultClusterBody(),
    name: 'shop',
    tier: 'standard',
    kubernetesVersion: '1.31',
    timeScale: 1,
    labels: { team: 'shop' },
    nodePools: [{ name: 'default', instanceType: 'm5.large', count: 3, minCount: 1, maxCount: 5, autoscaling: true, labels: { role: 'web' }, taints: [] }],
  };
  const r = await h.request('POST', '/v1/estimates', { token: owner.token, body });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.name, 'shop');
  assert.equal(r.body.hours, 730);
  assert.deepEqual(r.body.actual, { provider: 'eks', tier: 'standard', region: 'us-east-1' });
  assert.equal(r.body.results.find((x: any) => x.provider === 'eks' && x.tier === 'standard').total.amount, '283.24');
  const compareKeys = Object.keys((await reports(owner.token, (await h.runningCluster(owner.token)).id)).compare);
  for (const key of Object.keys(r.body).filter((k) => k !== 'name')) assert.ok(compareKeys.includes(key), key);

  // Autopilot is regional and keeps the free tier: 730 h × $0.10 = $73.00, all credited.
  const autopilot = await h.request('POST', '/v1/estimates', {
    token: owner.token,
    body: {
      name: 'ap',
      provider: 'gke',
      tier: 'autopilot',
      region: 'us-central1',
      nodePools: [{ name: 'default', instanceType: 'e2-standard-2', count: 1 }],
      workloads: [{ name: 'web', replicas: 1, cpu: '250m', memory: '512Mi' }],
    },
  });
  assert.equal(autopilot.status, 200, autopilot.text);
  assert.deepEqual(autopilot.body.actual, { provider: 'gke', tier: 'autopilot', region: 'us-central1' });
  assert.equal(autopilot.body.results.find((x: any) => x.tier === 'autopilot').credits.amount, '-73.00');
  const bad = await h.request('POST', '/v1/estimates', {
    token: owner.token,
    body: { ...body, nodePools: [{ name: 'default', instanceType: 'nope.large', count: 1 }] },
  });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.details.issues[0].field, 'nodePools.0.instanceType');
});

test("the catalog's new regions and types create clusters: GKE in us-east1, EKS on m6i.xlarge in eu-central-1", async () => {
  const owner = await h.tenant();
  const gke = await h.runningCluster(owner.token, {
    name: 'east',
    provider: 'gke',
    region: 'us-east1',
    nodePools: [{ name: 'default', instanceType: 'e2-standard-4', count: 1 }],
  });
  const eks = await h.runningCluster(owner.token, {
    name: 'frankfurt',
    provider: 'eks',
    region: 'eu-central-1',
    nodePools: [{ name: 'default', instanceType: 'm6i.xlarge', count: 2 }],
  });
  assert.equal(gke.region, 'us-east1');
  assert.equal(eks.nodePools[0].instanceType, 'm6i.xlarge');
  const kubeconfig = await h.kubeconfig(owner.token, eks.id);
  const nodes = await h.kubectl(kubeconfig, ['get', 'nodes', '-o', 'json']);
  assert.equal(nodes.code, 0, nodes.stderr);
  const items = JSON.parse(nodes.stdout).items;
  assert.equal(items.length, 2);
  assert.ok(items.every((n: any) => n.metadata.labels['topology.kubernetes.io/zone'].startsWith('eu-central-1') && n.status.capacity.pods === '58'));
  // eu-central-1 has no captured list price of its own: us-east-1's stands in (recorded as priceRegion).
  await h.request('POST', `/v1/clusters/${eks.id}/clock:advance`, { token: owner.token, body: { seconds: 3600 } });
  const usage = await h.request('GET', '/v1/billing/usage?groupBy=lineItem', { token: owner.token });
  const line = usage.body.groups.find((g: any) => g.item === 'node:m6i.xlarge');
  assert.deepEqual([line.quantity, line.unitPrice.amount], ['2', '0.192']);
});

test('budgets scoped to a cluster or a label alert only on thresholds crossed after they exist; the forecast matches a hand calculation', async () => {
  const owner = await h.tenant();
  const { database } = h.runtime.deps;
  const shop = await h.runningCluster(owner.token, {
    ...defaultClusterBody(),
    labels: { team: 'shop' },
    nodePools: [{ name: 'default', instanceType: 'm5.large', count: 1 }],
  });
  const other = await h.runningCluster(owner.token, { ...defaultClusterBody(), nodePools: [{ name: 'default', instanceType: 'm5.large', count: 2 }] });
  const startedAt = async (id: string) =>
    (await database.db
      .select()
      .from(usageIntervals)
      .where(and(eq(usageIntervals.clusterId, id), eq(usageIntervals.kind, 'cluster')))
      .get())!.startedAt;
  const shopStart = await startedAt(shop.id);
  // 10 h each: shop $0.196/h → 1.96 rated; the other $0.292/h → 2.92
  for (const c of [shop, other]) await h.request('POST', `/v1/clusters/${c.id}/clock:advance`, { token: owner.token, body: { seconds: 10 * 3600 } });
  await runBillingCycle({ database, nowMs: clock.now() });
  const post = (body: unknown) => h.request('POST', '/v1/billing/budgets', { token: owner.token, body });
  const byLabel = await post({ name: 'shop', amount: '3.00', thresholds: [50, 100], scope: { label: 'team=shop' } });
  assert.equal(byLabel.status, 201, byLabel.text);
  const byCluster = await post({ name: 'other', amount: '3.00', thresholds: [50, 100], scope: { clusterId: other.id } });
  assert.equal(byCluster.status, 201, byCluster.text);
  // spent (rated 9 h + the 10th hour estimated): shop 10 × 0.196 = 1.96; other 10 × 0.292 = 2.92
  assert.equal(byLabel.body.status.spent.amount, '1.96');
  assert.equal(byCluster.body.status.spent.amount, '2.92');
  // forecast = spent + what runs now × the hours from the cluster's now to the month end. Shop started
  // at T0 (the service's clock stands still), so its now is T0 + 10 h; from 23 March its control plane
  // is on EKS extended support (+$0.50/h for 192 h): 1.96 + 734 × 0.196 + 96 = 241.824
  assert.equal(shopStart, T0);
  assert.equal(byLabel.body.status.forecast.amount, '241.82');
  // other: 2.92 + 734 × 0.292 + 96 = 313.248
  assert.equal(byCluster.body.status.forecast.amount, '313.25');
  // Other's 2.92 had passed 50 % of $3.00 before its budget: no alert now; shop's 1.96 (65 %) neither.
  const alerts = async () =>
    (await h.request('GET', '/v1/billing/alerts', { token: owner.token })).body.items.map((a: any) => [a.budgetId, a.thresholdPercent]);
  assert.deepEqual(await alerts(), []);
  // Alerts count rated and estimated hours, as the status does. Two more hours: other 12 × 0.292 =
  // 3.504 ≥ $3.00 → its 100 % alert; shop 12 × 0.196 = 2.352, under $3.00.
  for (const c of [shop, other]) await h.request('POST', `/v1/clusters/${c.id}/clock:advance`, { token: owner.token, body: { seconds: 2 * 3600 } });
  await runBillingCycle({ database, nowMs: clock.now() });
  assert.deepEqual(await alerts(), [[byCluster.body.id, 100]]);
});

test('allocation by max(request, usage): a Deployment without requests that uses CPU is charged, and costs still equal the invoice', async () => {
  const owner = await h.tenant();
  const cluster = await h.runningCluster(owner.token, { ...defaultClusterBody(), nodePools: [{ name: 'default', instanceType: 'm5.large', count: 1 }] });
  const kubeconfig = await h.kubeconfig(owner.token, cluster.id);
  const manifest = (name: string, extra: object) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations: { 'kates.dev/cpu-usage': '1', 'kates.dev/memory-usage': '256Mi' } },
        spec: { containers: [{ name: 'app', image: 'busybox', ...extra }] },
      },
    },
  });
  for (const m of [manifest('busy', {}), manifest('reserved', { resources: { requests: { cpu: '250m', memory: '256Mi' } } })]) {
    const applied = await h.kubectl(kubeconfig, ['apply', '-f', '-'], JSON.stringify(m));
    assert.equal(applied.code, 0, applied.stderr);
  }
  // The cluster's clock stands still with the service's: move it a little so the pods start and are scraped.
  await h.waitFor(
    async () => {
      await h.request('POST', `/v1/clusters/${cluster.id}/clock:advance`, { token: owner.token, body: { seconds: 20 } });
      const pods = await h.kubectl(kubeconfig, ['get', 'pods', '-o', 'json']);
      const items = JSON.parse(pods.stdout || '{"items":[]}').items;
      return items.length === 2 && items.every((p: any) => p.status.phase === 'Running');
    },
    'pods Running',
    30_000,
  );
  // …and until the metrics pipeline has recorded both pods' usage.
  await h.waitFor(
    async () => {
      const points = await readChangePoints(h.runtime.deps.database, cluster.id, { kinds: ['pod'] });
      return ['busy-', 'reserved-'].every((prefix) => points.some((p) => p.name.startsWith(prefix)));
    },
    'usage of both pods',
    30_000,
  );
  await h.request('POST', `/v1/clusters/${cluster.id}/clock:advance`, { token: owner.token, body: { seconds: 3 * 3600 } });
  await runBillingCycle({ database: h.runtime.deps.database, nowMs: clock.now() });

  const { costs, invoice, actual } = await reports(owner.token, cluster.id);
  const busy = costs.allocations.find((a: any) => a.name === 'default/Deployment/busy');
  const reserved = costs.allocations.find((a: any) => a.name === 'default/Deployment/reserved');
  assert.ok(busy && Number(busy.cpuCost.amount) > 0, JSON.stringify(costs.allocations));
  // Both use a whole vCPU; the one that reserved only 250m pays for what it used too.
  assert.equal(busy.cpuCost.amount, reserved.cpuCost.amount);
  const cents = (m: { amount: string }) => Math.round(Number(m.amount) * 100);
  const parts = [...costs.allocations.map((a: any) => cents(a.totalCost)), cents(costs.idle.totalCost), cents(costs.overhead.controlPlaneCost)];
  assert.equal(
    parts.reduce((a: number, b: number) => a + b, 0),
    cents(invoice.subtotal),
  );
  assert.equal(costs.total.amount, invoice.subtotal.amount);
  assert.equal(actual.total.amount, invoice.subtotal.amount);
});
