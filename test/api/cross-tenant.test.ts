import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { parse } from 'yaml';
import { startHarness, defaultClusterBody, type Harness, type HttpResponse } from '../helpers/harness.ts';
import { runBillingCycle } from '../../src/billing/cycle.ts';
import { clusters } from '../../src/store/schema/index.ts';
import { randomString } from '../../src/lib/ids.ts';
import { FAILED_ANNOTATION } from '../../src/kubelet/node-state.ts';

/**
 * Tenant B, holding an owner key, aims every /v1 operation at tenant A's resources. Whatever names
 * one of A's resources answers 404 with nothing of A in it; whatever lists answers B's data only.
 * The table must cover every operation in openapi.yaml, so a new route cannot skip this suite.
 */
let h: Harness;
const A = {
  tenantId: '',
  tenantName: `tenant-a-${randomString(6)}`,
  key: '',
  token: '',
  keyId: '',
  clusterId: '',
  clusterName: `secret-${randomString(6)}`,
  operationId: '',
  node: '',
  budgetId: '',
  budgetName: `budget-${randomString(6)}`,
  kubeconfig: '',
};
const B = { tenantId: '', token: '' };
const month = new Date().toISOString().slice(0, 7);
const usageWindow = () => `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 30 * 86_400_000).toISOString()}`;

before(async () => {
  h = await startHarness();
  const admin = await h.adminToken();
  const t = await h.request('POST', '/v1/tenants', { token: admin, body: { name: A.tenantName } });
  A.tenantId = t.body.id;
  const key = await h.keyFor(A.tenantId, admin, 'owner');
  Object.assign(A, { key: key.key, token: key.token, keyId: key.id });
  const budget = await h.request('POST', '/v1/billing/budgets', { token: A.token, body: { name: A.budgetName, amount: '0.01', thresholds: [1] } });
  A.budgetId = budget.body.id;
  // An hour of cluster time per real second, so A has rated usage, an invoice line and a budget alert.
  const created = await h.request('POST', '/v1/clusters', {
    token: A.token,
    body: { ...defaultClusterBody(), name: A.clusterName, timeScale: 3600, nodePools: [{ name: 'default', instanceType: 'm5.large', count: 2 }] },
  });
  A.clusterId = created.body.id;
  A.operationId = created.body.operation.id;
  await h.waitFor(async () => (await h.request('GET', `/v1/clusters/${A.clusterId}`, { token: A.token })).body.status === 'RUNNING', 'A RUNNING');
  A.node = (await h.runtime.deps.store.list(A.clusterId, 'nodes')).items[0].metadata.name!;
  A.kubeconfig = await h.kubeconfig(A.token, A.clusterId);
  await h.waitFor(
    async () =>
      (await runBillingCycle({ database: h.runtime.deps.database, nowMs: Date.now() }), true) &&
      (await h.request('GET', `/v1/billing/usage?groupBy=cluster&${usageWindow()}`, { token: A.token })).text.includes(A.clusterId),
    'A rated',
  );
  // Only thresholds crossed after a budget exists alert: the budget was made before any spend.
  await h.waitFor(
    async () =>
      (await runBillingCycle({ database: h.runtime.deps.database, nowMs: Date.now() }), true) &&
      (await h.request('GET', '/v1/billing/alerts', { token: A.token })).text.includes(A.budgetId),
    'A alerted',
  );
  const b = await h.tenant();
  Object.assign(B, { tenantId: b.id, token: b.token });
  await h.runningCluster(B.token);
});
after(() => h.stop());

/** Everything that would betray A: its ids and names. */
const secrets = () => [A.tenantId, A.tenantName, A.keyId, A.clusterId, A.clusterName, A.operationId, A.node, A.budgetId, A.budgetName];

function assertNothingOfA(r: HttpResponse, where: string) {
  for (const s of secrets())
    assert.ok(
      !r.text.includes(s) || (where.includes(s) && r.status === 404 && !r.text.replace(s, '').includes(s)),
      `${where} leaks ${s}: ${r.text.slice(0, 300)}`,
    );
}

interface Probe {
  method: string;
  path: () => string;
  body?: () => unknown;
}
type Case = { op: string; owned: Probe[] } | { op: string; collection: { probe: Probe; mark: () => string } } | { op: string; unscoped: string };

const get = (path: () => string): Probe => ({ method: 'GET', path });
const cases: Case[] = [
  { op: 'POST /v1/auth/token', unscoped: 'exchanges a key the caller already holds' },
  { op: 'POST /v1/tenants', unscoped: 'admin only; creates a new tenant' },
  { op: 'GET /v1/tenants', unscoped: 'admin only: a tenant token is 403 (below and roles.test.ts)' },
  { op: 'DELETE /v1/tenants/{tenantId}', unscoped: 'admin only: a tenant token is 403 (below and roles.test.ts)' },
  { op: 'POST /v1/clusters', unscoped: "creates in the caller's own tenant" },
  { op: 'POST /v1/estimates', unscoped: 'prices a planned cluster; reads no tenant data' },
  { op: 'GET /v1/kubernetes-versions', unscoped: "the providers' public support calendar; reads no tenant data" },
  { op: 'POST /v1/billing/budgets', unscoped: "creates in the caller's own tenant" },
  { op: 'GET /v1/tenants/{tenantId}', owned: [get(() => `/v1/tenants/${A.tenantId}`)] },
  { op: 'GET /v1/tenants/{tenantId}/api-keys', owned: [get(() => `/v1/tenants/${A.tenantId}/api-keys`)] },
  {
    op: 'POST /v1/tenants/{tenantId}/api-keys',
    owned: [{ method: 'POST', path: () => `/v1/tenants/${A.tenantId}/api-keys`, body: () => ({ name: 'backdoor', role: 'owner' }) }],
  },
  {
    op: 'DELETE /v1/tenants/{tenantId}/api-keys/{keyId}',
    owned: [
      { method: 'DELETE', path: () => `/v1/tenants/${A.tenantId}/api-keys/${A.keyId}` },
      { method: 'DELETE', path: () => `/v1/tenants/${B.tenantId}/api-keys/${A.keyId}` },
    ],
  },
  { op: 'GET /v1/clusters/{clusterId}', owned: [get(() => `/v1/clusters/${A.clusterId}`)] },
  {
    op: 'PATCH /v1/clusters/{clusterId}',
    owned: [
      { method: 'PATCH', path: () => `/v1/clusters/${A.clusterId}`, body: () => ({ labels: { owned: 'by-b' }, nodePools: [{ name: 'default', count: 1 }] }) },
    ],
  },
  { op: 'DELETE /v1/clusters/{clusterId}', owned: [{ method: 'DELETE', path: () => `/v1/clusters/${A.clusterId}` }] },
  { op: 'GET /v1/clusters/{clusterId}/kubeconfig', owned: [get(() => `/v1/clusters/${A.clusterId}/kubeconfig`)] },
  { op: 'POST /v1/clusters/{clusterId}/kubeconfig:rotate', owned: [{ method: 'POST', path: () => `/v1/clusters/${A.clusterId}/kubeconfig:rotate` }] },
  {
    op: 'POST /v1/clusters/{clusterId}/tokens',
    owned: [{ method: 'POST', path: () => `/v1/clusters/${A.clusterId}/tokens`, body: () => ({ role: 'edit', namespaces: ['default'] }) }],
  },
  { op: 'GET /v1/clusters/{clusterId}/costs', owned: [get(() => `/v1/clusters/${A.clusterId}/costs`)] },
  { op: 'GET /v1/clusters/{clusterId}/costs/compare', owned: [get(() => `/v1/clusters/${A.clusterId}/costs/compare`)] },
  { op: 'GET /v1/clusters/{clusterId}/dns', owned: [get(() => `/v1/clusters/${A.clusterId}/dns?name=kubernetes.default.svc.cluster.local`)] },
  { op: 'GET /v1/clusters/{clusterId}/events', owned: [get(() => `/v1/clusters/${A.clusterId}/events`)] },
  { op: 'GET /v1/clusters/{clusterId}/health', owned: [get(() => `/v1/clusters/${A.clusterId}/health`)] },
  { op: 'GET /v1/clusters/{clusterId}/monitoring', owned: [get(() => `/v1/clusters/${A.clusterId}/monitoring`)] },
  { op: 'POST /v1/clusters/{clusterId}/nodes/{nodeAction}', owned: [{ method: 'POST', path: () => `/v1/clusters/${A.clusterId}/nodes/${A.node}:fail` }] },
  {
    op: 'POST /v1/clusters/{clusterId}/clock:advance',
    owned: [{ method: 'POST', path: () => `/v1/clusters/${A.clusterId}/clock:advance`, body: () => ({ seconds: 86_400 }) }],
  },
  { op: 'GET /v1/clusters/{clusterId}/autoscaler/status', owned: [get(() => `/v1/clusters/${A.clusterId}/autoscaler/status`)] },
  { op: 'GET /v1/clusters/{clusterId}/autoscaler/events', owned: [get(() => `/v1/clusters/${A.clusterId}/autoscaler/events`)] },
  { op: 'GET /v1/clusters/{clusterId}/autoscaler/settings', owned: [get(() => `/v1/clusters/${A.clusterId}/autoscaler/settings`)] },
  {
    op: 'PUT /v1/clusters/{clusterId}/autoscaler/settings',
    owned: [{ method: 'PUT', path: () => `/v1/clusters/${A.clusterId}/autoscaler/settings`, body: () => ({}) }],
  },
  { op: 'GET /v1/clusters/{clusterId}/traffic', owned: [get(() => `/v1/clusters/${A.clusterId}/traffic`)] },
  { op: 'PUT /v1/clusters/{clusterId}/traffic', owned: [{ method: 'PUT', path: () => `/v1/clusters/${A.clusterId}/traffic`, body: () => ({ services: [] }) }] },
  { op: 'GET /v1/clusters/{clusterId}/cloud-faults', owned: [get(() => `/v1/clusters/${A.clusterId}/cloud-faults`)] },
  {
    op: 'PUT /v1/clusters/{clusterId}/cloud-faults',
    owned: [{ method: 'PUT', path: () => `/v1/clusters/${A.clusterId}/cloud-faults`, body: () => ({ nodePools: [] }) }],
  },
  { op: 'GET /v1/clusters/{clusterId}/node-pools', owned: [get(() => `/v1/clusters/${A.clusterId}/node-pools`)] },
  { op: 'GET /v1/clusters/{clusterId}/node-pools/{poolName}', owned: [get(() => `/v1/clusters/${A.clusterId}/node-pools/default`)] },
  {
    op: 'POST /v1/clusters/{clusterId}/node-pools',
    owned: [{ method: 'POST', path: () => `/v1/clusters/${A.clusterId}/node-pools`, body: () => ({ name: 'intruder', instanceType: 'm5.large', count: 1 }) }],
  },
  {
    op: 'PATCH /v1/clusters/{clusterId}/node-pools/{poolName}',
    owned: [{ method: 'PATCH', path: () => `/v1/clusters/${A.clusterId}/node-pools/default`, body: () => ({ count: 1, labels: { owned: 'by-b' } }) }],
  },
  { op: 'DELETE /v1/clusters/{clusterId}/node-pools/{poolName}', owned: [{ method: 'DELETE', path: () => `/v1/clusters/${A.clusterId}/node-pools/default` }] },
  {
    op: 'POST /v1/clusters/{clusterId}:upgrade',
    owned: [{ method: 'POST', path: () => `/v1/clusters/${A.clusterId}:upgrade`, body: () => ({ kubernetesVersion: '1.33' }) }],
  },
  { op: 'GET /v1/operations/{operationId}', owned: [get(() => `/v1/operations/${A.operationId}`)] },
  { op: 'DELETE /v1/billing/budgets/{budgetId}', owned: [{ method: 'DELETE', path: () => `/v1/billing/budgets/${A.budgetId}` }] },
  { op: 'GET /v1/operations', collection: { probe: get(() => '/v1/operations'), mark: () => A.operationId } },
  { op: 'GET /v1/clusters', collection: { probe: get(() => '/v1/clusters?status=RUNNING'), mark: () => A.clusterId } },
  { op: 'GET /v1/billing/usage', collection: { probe: get(() => `/v1/billing/usage?groupBy=cluster&${usageWindow()}`), mark: () => A.clusterId } },
  { op: 'GET /v1/billing/invoices/{period}', collection: { probe: get(() => `/v1/billing/invoices/${month}`), mark: () => A.clusterId } },
  { op: 'GET /v1/billing/invoices', collection: { probe: get(() => '/v1/billing/invoices'), mark: () => `"period":"${month}"` } },
  { op: 'GET /v1/billing/budgets', collection: { probe: get(() => '/v1/billing/budgets'), mark: () => A.budgetName } },
  { op: 'GET /v1/billing/alerts', collection: { probe: get(() => '/v1/billing/alerts'), mark: () => A.budgetId } },
];

const send = (p: Probe, token: string) => h.request(p.method, p.path(), { token, body: p.body?.() });

test('the table covers every operation in openapi.yaml', () => {
  const spec = parse(readFileSync(resolve(import.meta.dirname, '../../openapi.yaml'), 'utf8'));
  const inSpec = Object.entries(spec.paths as Record<string, object>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
  const covered = cases.map((c) => c.op);
  const missing = inSpec.filter((op) => !covered.includes(op));
  const stale = covered.filter((op) => !inSpec.includes(op));
  assert.deepEqual({ missing, stale }, { missing: [], stale: [] }, 'every operation needs a row in this table (owned, collection or unscoped)');
});

for (const c of cases) {
  if ('owned' in c) {
    test(`${c.op} on another tenant's resource is 404 and says nothing of it`, async () => {
      for (const probe of c.owned) {
        const r = await send(probe, B.token);
        assert.equal(r.status, 404, `${probe.method} ${probe.path()}: ${r.text}`);
        assert.equal(r.body.error.code, 'NOT_FOUND');
        assertNothingOfA(r, probe.path());
      }
    });
  } else if ('collection' in c) {
    test(`${c.op} lists only the caller's own data`, async () => {
      const mine = await send(c.collection.probe, A.token);
      assert.equal(mine.status, 200);
      assert.ok(mine.text.includes(c.collection.mark()), `control: A sees its own data in ${c.op}: ${mine.text.slice(0, 300)}`);
      const theirs = await send(c.collection.probe, B.token);
      assert.equal(theirs.status, 200);
      assertNothingOfA(theirs, c.op);
      if (c.op === 'GET /v1/billing/invoices')
        assert.ok(
          theirs.body.items.every((i: { total: { amount: string } }) => i.total.amount === '0.00'),
          theirs.text,
        );
    });
  }
}

test('tenant B can neither list the tenants nor delete tenant A', async () => {
  for (const [method, path] of [
    ['GET', '/v1/tenants'],
    ['DELETE', `/v1/tenants/${A.tenantId}`],
  ] as const) {
    const r = await h.request(method, path, { token: B.token });
    assert.equal(r.status, 403, `${method} ${path}: ${r.text}`);
    assertNothingOfA(r, path);
  }
});

test("a cluster token of tenant B does not open tenant A's Kubernetes API", async () => {
  const own = (await h.request('GET', '/v1/clusters', { token: B.token })).body.items[0];
  const token = (await h.request('POST', `/v1/clusters/${own.id}/tokens`, { token: B.token, body: { role: 'edit', namespaces: ['default'] } })).body.token;
  const r = await h.request('GET', `/clusters/${A.clusterId}/k8s/api/v1/namespaces/default/pods`, { token });
  assert.equal(r.status, 401);
  assertNothingOfA(r, `/clusters/${A.clusterId}/k8s`);
});

test('after all of that, tenant A is untouched', async () => {
  const cluster = await h.request('GET', `/v1/clusters/${A.clusterId}`, { token: A.token });
  assert.equal(cluster.body.status, 'RUNNING');
  assert.deepEqual(cluster.body.labels, {});
  assert.equal(cluster.body.nodePools[0].count, 2);
  assert.equal(cluster.body.kubernetesVersion, '1.32');
  assert.deepEqual(
    cluster.body.nodePools.map((p: { name: string; status: string; labels: object }) => [p.name, p.status, p.labels]),
    [['default', 'READY', {}]],
  );
  const row = await h.runtime.deps.database.db.select().from(clusters).where(eq(clusters.id, A.clusterId)).get();
  assert.equal(row!.clockSkewMs, 0);
  assert.equal(row!.tokenGeneration, 1);
  assert.equal((await h.kubectl(A.kubeconfig, ['get', 'nodes', '-o', 'name'])).stdout.trim().split('\n').length, 2);
  const keys = (await h.request('GET', `/v1/tenants/${A.tenantId}/api-keys`, { token: A.token })).body.items;
  assert.deepEqual(
    keys.map((k: { id: string; revokedAt: string | null }) => [k.id, k.revokedAt]),
    [[A.keyId, null]],
  );
  assert.equal((await h.request('POST', '/v1/auth/token', { body: { apiKey: A.key } })).status, 200);
  assert.ok((await h.request('GET', '/v1/billing/budgets', { token: A.token })).text.includes(A.budgetId));
  const node = await h.runtime.deps.store.get(A.clusterId, 'nodes', '', A.node);
  assert.equal(node!.metadata.annotations?.[FAILED_ANNOTATION], undefined);
});
