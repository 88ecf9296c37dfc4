import assert from 'node:assert/strict';
import { randomString } from '../../../src/lib/ids.ts';
import { assertError, assertHidden, assertNothingOfA, type RouteCase, type RouteContext } from '../route-case.ts';

const month = () => new Date().toISOString().slice(0, 7);

/** A budget of A, its id counted among A's secrets. */
async function budgetOfA({ fx, call }: RouteContext, name = `budget-${randomString(6)}`) {
  const r = await call('A.billing', 'POST', '/v1/billing/budgets', { body: { name, amount: '100.00', thresholds: [50, 90] } });
  assert.equal(r.status, 201, r.text);
  fx.extraSecrets.push(r.body.id, name);
  return r.body as { id: string; name: string };
}

/** Usage, invoices, budgets and their alerts: the owner and billing roles only. */
export const billingCases: RouteCase[] = [
  {
    op: 'GET /v1/billing/usage',
    async happy({ fx, call }) {
      const r = await call('A.billing', 'GET', '/v1/billing/usage?groupBy=cluster');
      assert.equal(r.status, 200);
      assert.equal(r.body.groupBy, 'cluster');
      assert.ok(
        r.body.groups.some((g: { clusterId: string }) => g.clusterId === fx.A.cluster.id),
        r.text.slice(0, 400),
      );
      const hours = await call(
        'A',
        'GET',
        `/v1/billing/usage?from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`,
      );
      assert.deepEqual([hours.status, hours.body.groupBy], [200, 'hour']);
    },
    async error({ call }) {
      assertError(await call('A', 'GET', '/v1/billing/usage?groupBy=week'), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'GET', '/v1/billing/usage?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z'), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'GET', '/v1/billing/usage?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z'), 422, 'VALIDATION_FAILED');
      assertError(await call('A.developer', 'GET', '/v1/billing/usage'), 403, 'FORBIDDEN');
    },
    async isolation({ fx, call }) {
      const r = await call('B', 'GET', '/v1/billing/usage?groupBy=cluster');
      assert.equal(r.status, 200);
      assertNothingOfA(r, fx);
    },
  },
  {
    op: 'GET /v1/billing/invoices',
    async happy({ call }) {
      const r = await call('A.billing', 'GET', '/v1/billing/invoices');
      assert.equal(r.status, 200);
      const open = r.body.items.find((i: { period: string }) => i.period === month());
      assert.ok(open, r.text.slice(0, 300));
      assert.equal(open.status, 'open');
    },
    async error({ call }) {
      assertError(await call('A.viewer', 'GET', '/v1/billing/invoices'), 403, 'FORBIDDEN');
      assertError(await call('admin', 'GET', '/v1/billing/invoices'), 403, 'FORBIDDEN');
    },
    async isolation({ fx, call }) {
      const r = await call('B', 'GET', '/v1/billing/invoices');
      assert.equal(r.status, 200);
      assertNothingOfA(r, fx);
    },
  },
  {
    op: 'GET /v1/billing/invoices/{period}',
    async happy({ fx, call }) {
      const r = await call('A.billing', 'GET', `/v1/billing/invoices/${month()}`);
      assert.equal(r.status, 200);
      assert.equal(r.body.period, month());
      assert.ok(
        r.body.clusters.some((c: { clusterId: string }) => c.clusterId === fx.A.cluster.id),
        r.text.slice(0, 400),
      );
      const csv = await call('A', 'GET', `/v1/billing/invoices/${month()}`, { headers: { accept: 'text/csv' } });
      assert.equal(csv.status, 200);
      assert.match(csv.headers['content-type'] as string, /^text\/csv/);
      assert.ok(csv.text.includes(fx.A.cluster.id));
    },
    async error({ call }) {
      assertError(await call('A', 'GET', '/v1/billing/invoices/2026-13'), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'GET', '/v1/billing/invoices/last-month'), 422, 'VALIDATION_FAILED');
    },
    async isolation({ fx, call }) {
      const r = await call('B', 'GET', `/v1/billing/invoices/${month()}`);
      assert.equal(r.status, 200);
      assertNothingOfA(r, fx);
      assert.deepEqual(r.body.clusters, []);
    },
  },
  {
    op: 'GET /v1/billing/budgets',
    async happy(t) {
      const budget = await budgetOfA(t);
      const r = await t.call('A.billing', 'GET', '/v1/billing/budgets');
      assert.equal(r.status, 200);
      const listed = r.body.items.find((b: { id: string }) => b.id === budget.id);
      assert.deepEqual([listed.name, listed.thresholds], [budget.name, [50, 90]]);
    },
    async error({ call }) {
      assertError(await call('A.developer', 'GET', '/v1/billing/budgets'), 403, 'FORBIDDEN');
    },
    async isolation(t) {
      await budgetOfA(t);
      const r = await t.call('B', 'GET', '/v1/billing/budgets');
      assert.deepEqual([r.status, r.body.items], [200, []]);
    },
  },
  {
    op: 'POST /v1/billing/budgets',
    async happy({ fx, call }) {
      const name = `team-${randomString(6)}`;
      const r = await call('A', 'POST', '/v1/billing/budgets', { body: { name, amount: '250', scope: { clusterId: fx.A.cluster.id } } });
      assert.equal(r.status, 201);
      fx.extraSecrets.push(r.body.id, name);
      assert.equal(r.headers.location, `/v1/billing/budgets/${r.body.id}`);
      assert.deepEqual([r.body.name, r.body.thresholds, r.body.scope], [name, [50, 80, 100], { clusterId: fx.A.cluster.id }]);
    },
    async error({ call }) {
      assertError(await call('A', 'POST', '/v1/billing/budgets', { body: { name: 'b', amount: '-5' } }), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'POST', '/v1/billing/budgets', { body: { name: 'b', amount: '5', thresholds: [] } }), 422, 'VALIDATION_FAILED');
      assertError(
        await call('A', 'POST', '/v1/billing/budgets', { body: { name: 'b', amount: '5', scope: { clusterId: 'cls_0000000000000000' } } }),
        422,
        'VALIDATION_FAILED',
      );
      assertError(await call('A', 'POST', '/v1/billing/budgets', { rawBody: '{"name"', headers: { 'content-type': 'application/json' } }), 400, 'BAD_REQUEST');
    },
    async isolation({ fx, call }) {
      // B cannot scope a budget to A's cluster: to B it does not exist.
      const r = await call('B', 'POST', '/v1/billing/budgets', { body: { name: 'spy', amount: '1', scope: { clusterId: fx.A.cluster.id } } });
      assertError(r, 422, 'VALIDATION_FAILED', /no cluster/);
      assert.deepEqual((await call('B', 'GET', '/v1/billing/budgets')).body.items, []);
    },
  },
  {
    op: 'DELETE /v1/billing/budgets/{budgetId}',
    async happy(t) {
      const budget = await budgetOfA(t);
      const r = await t.call('A.billing', 'DELETE', `/v1/billing/budgets/${budget.id}`);
      assert.deepEqual([r.status, r.text], [204, '']);
      assert.ok(!(await t.call('A', 'GET', '/v1/billing/budgets')).text.includes(budget.id));
    },
    async error(t) {
      assertError(await t.call('A', 'DELETE', '/v1/billing/budgets/bud_0000000000000000'), 404, 'NOT_FOUND');
      const budget = await budgetOfA(t);
      assertError(await t.call('A.viewer', 'DELETE', `/v1/billing/budgets/${budget.id}`), 403, 'FORBIDDEN');
    },
    async isolation(t) {
      const budget = await budgetOfA(t);
      const path = `/v1/billing/budgets/${budget.id}`;
      assertHidden(await t.call('B', 'DELETE', path), t.fx, path);
      assert.ok((await t.call('A', 'GET', '/v1/billing/budgets')).text.includes(budget.id));
    },
  },
  {
    op: 'GET /v1/billing/alerts',
    async happy({ call }) {
      const r = await call('A.billing', 'GET', '/v1/billing/alerts?limit=5');
      assert.equal(r.status, 200);
      assert.ok(Array.isArray(r.body.items) && r.body.items.length <= 5);
    },
    async error({ call }) {
      assertError(await call('A', 'GET', '/v1/billing/alerts?limit=0'), 422, 'VALIDATION_FAILED');
      assertError(await call('A', 'GET', '/v1/billing/alerts?since=yesterday'), 422, 'VALIDATION_FAILED');
    },
    async isolation({ fx, call }) {
      const r = await call('B', 'GET', '/v1/billing/alerts');
      assert.deepEqual([r.status, r.body.items], [200, []]);
      assertNothingOfA(r, fx);
    },
  },
];
