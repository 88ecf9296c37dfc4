import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, type InProcessApp } from '../helpers/app.ts';
import { defaultClusterBody } from '../helpers/harness.ts';
import { randomString } from '../../src/lib/ids.ts';
import { documentedOperations, operationOf } from '../routes/route-case.ts';

/**
 * Roles per operation, in process: owner does everything; developer runs clusters but not keys or
 * billing; viewer reads clusters; billing reads and budgets billing and nothing else; the operator's
 * admin manages tenants and keys only. Every operation in openapi.yaml has a row naming all five.
 */
type Role = 'owner' | 'developer' | 'viewer' | 'billing' | 'admin';
const ROLES: Role[] = ['owner', 'developer', 'viewer', 'billing', 'admin'];
type Expect = Record<Role, number>;

const READ: Expect = { owner: 200, developer: 200, viewer: 200, billing: 403, admin: 403 };
const BILLING: Expect = { owner: 200, developer: 403, viewer: 403, billing: 200, admin: 403 };
const ANY_TENANT: Expect = { owner: 200, developer: 200, viewer: 200, billing: 200, admin: 403 };
const write = (status: number): Expect => ({ owner: status, developer: status, viewer: 403, billing: 403, admin: 403 });
const adminOnly = (status: number): Expect => ({ owner: 403, developer: 403, viewer: 403, billing: 403, admin: status });

let app: InProcessApp;
let tenantId: string;
const tokens = {} as Record<Role, string>;
const keys = {} as Record<Role, string>;
let clusterId: string;
let operationId: string;
const month = new Date().toISOString().slice(0, 7);

before(async () => {
  app = await startApp();
  const owner = await app.tenant({ plan: 'enterprise' });
  tenantId = owner.id;
  Object.assign(tokens, { owner: owner.token, admin: await app.adminToken() });
  Object.assign(keys, { owner: owner.key, admin: app.adminKey });
  for (const role of ['developer', 'viewer', 'billing'] as const) {
    const k = await app.keyFor(owner.id, role);
    tokens[role] = k.token;
    keys[role] = k.key;
  }
  const created = await app.request('POST', '/v1/clusters', { token: owner.token, body: defaultClusterBody() });
  ({ id: clusterId } = created.body);
  operationId = created.body.operation.id;
  await app.runOperation(operationId);
});
after(() => app.stop());

interface Call {
  path: string;
  body?: unknown;
}
/**
 * A row's request for one role. `allowed` says whether the role is expected to succeed: only then
 * is a resource made for it to change or delete; a refused role aims at the shared cluster.
 */
type Request = (role: Role, allowed: boolean) => Promise<Call> | Call;
interface Row {
  op: string;
  expect: Expect;
  request: Request;
}

const shared =
  (path: () => string, body?: () => unknown): Request =>
  () => ({ path: path(), body: body?.() });
/** A RUNNING cluster of its own for a role that may change it. */
async function freshCluster(pools = [{ name: 'default', instanceType: 'm5.large', count: 1 }]): Promise<string> {
  const r = await app.request('POST', '/v1/clusters', { token: tokens.owner, body: { ...defaultClusterBody(), nodePools: pools } });
  await app.runOperation(r.body.operation.id);
  return r.body.id;
}
const onFresh =
  (path: (cluster: string) => string, body?: () => unknown, pools?: { name: string; instanceType: string; count: number }[]): Request =>
  async (_role, allowed) => ({
    path: path(allowed ? await freshCluster(pools) : clusterId),
    body: body?.(),
  });
const cluster =
  (suffix = '') =>
  () =>
    `/v1/clusters/${clusterId}${suffix}`;

const matrix: Row[] = [
  {
    op: 'POST /v1/auth/token',
    expect: { owner: 200, developer: 200, viewer: 200, billing: 200, admin: 200 },
    request: (role) => ({ path: '/v1/auth/token', body: { apiKey: keys[role] } }),
  },
  { op: 'POST /v1/tenants', expect: adminOnly(201), request: () => ({ path: '/v1/tenants', body: { name: `t-${randomString(8)}` } }) },
  { op: 'GET /v1/tenants', expect: adminOnly(200), request: shared(() => '/v1/tenants') },
  {
    op: 'DELETE /v1/tenants/{tenantId}',
    expect: adminOnly(202),
    request: async (_r, allowed) => ({ path: `/v1/tenants/${allowed ? (await app.tenant()).id : tenantId}` }),
  },
  {
    op: 'GET /v1/tenants/{tenantId}',
    expect: { owner: 200, developer: 200, viewer: 200, billing: 200, admin: 200 },
    request: shared(() => `/v1/tenants/${tenantId}`),
  },
  {
    op: 'GET /v1/tenants/{tenantId}/api-keys',
    expect: { owner: 200, developer: 403, viewer: 403, billing: 403, admin: 200 },
    request: shared(() => `/v1/tenants/${tenantId}/api-keys`),
  },
  {
    op: 'POST /v1/tenants/{tenantId}/api-keys',
    expect: { owner: 201, developer: 403, viewer: 403, billing: 403, admin: 201 },
    request: shared(
      () => `/v1/tenants/${tenantId}/api-keys`,
      () => ({ name: 'ci', role: 'viewer' }),
    ),
  },
  {
    op: 'DELETE /v1/tenants/{tenantId}/api-keys/{keyId}',
    expect: { owner: 200, developer: 403, viewer: 403, billing: 403, admin: 200 },
    request: async () => ({ path: `/v1/tenants/${tenantId}/api-keys/${(await app.keyFor(tenantId, 'viewer')).id}` }),
  },
  {
    op: 'POST /v1/clusters',
    expect: write(202),
    request: shared(
      () => '/v1/clusters',
      () => defaultClusterBody(),
    ),
  },
  { op: 'GET /v1/clusters', expect: READ, request: shared(() => '/v1/clusters') },
  { op: 'GET /v1/clusters/{clusterId}', expect: READ, request: shared(cluster()) },
  { op: 'PATCH /v1/clusters/{clusterId}', expect: write(200), request: shared(cluster(), () => ({ labels: { team: 'a' } })) },
  { op: 'DELETE /v1/clusters/{clusterId}', expect: write(202), request: onFresh((c) => `/v1/clusters/${c}`) },
  { op: 'GET /v1/clusters/{clusterId}/kubeconfig', expect: write(200), request: shared(cluster('/kubeconfig')) },
  {
    op: 'POST /v1/clusters/{clusterId}/kubeconfig:rotate',
    expect: { owner: 200, developer: 403, viewer: 403, billing: 403, admin: 403 },
    request: shared(cluster('/kubeconfig:rotate')),
  },
  { op: 'POST /v1/clusters/{clusterId}/tokens', expect: write(201), request: shared(cluster('/tokens'), () => ({ role: 'view', namespaces: ['default'] })) },
  { op: 'GET /v1/clusters/{clusterId}/costs', expect: BILLING, request: shared(cluster('/costs')) },
  { op: 'GET /v1/clusters/{clusterId}/costs/compare', expect: BILLING, request: shared(cluster('/costs/compare')) },
  { op: 'GET /v1/clusters/{clusterId}/dns', expect: READ, request: shared(cluster('/dns?name=kubernetes.default.svc.cluster.local')) },
  { op: 'GET /v1/clusters/{clusterId}/events', expect: READ, request: shared(cluster('/events')) },
  { op: 'GET /v1/clusters/{clusterId}/health', expect: READ, request: shared(cluster('/health')) },
  { op: 'GET /v1/clusters/{clusterId}/monitoring', expect: READ, request: shared(cluster('/monitoring')) },
  {
    op: 'POST /v1/clusters/{clusterId}/nodes/{nodeAction}',
    expect: write(200),
    // Recovering a node that never failed changes nothing.
    request: async () => ({
      path: `/v1/clusters/${clusterId}/nodes/${(await app.runtime.deps.store.list(clusterId, 'nodes')).items[0].metadata.name}:recover`,
    }),
  },
  { op: 'POST /v1/clusters/{clusterId}/clock:advance', expect: write(200), request: shared(cluster('/clock:advance'), () => ({ seconds: 1 })) },
  { op: 'GET /v1/clusters/{clusterId}/autoscaler/status', expect: READ, request: shared(cluster('/autoscaler/status')) },
  { op: 'GET /v1/clusters/{clusterId}/autoscaler/events', expect: READ, request: shared(cluster('/autoscaler/events')) },
  { op: 'GET /v1/clusters/{clusterId}/autoscaler/settings', expect: READ, request: shared(cluster('/autoscaler/settings')) },
  { op: 'PUT /v1/clusters/{clusterId}/autoscaler/settings', expect: write(200), request: shared(cluster('/autoscaler/settings'), () => ({})) },
  { op: 'GET /v1/clusters/{clusterId}/traffic', expect: READ, request: shared(cluster('/traffic')) },
  { op: 'PUT /v1/clusters/{clusterId}/traffic', expect: write(200), request: shared(cluster('/traffic'), () => ({ services: [] })) },
  { op: 'GET /v1/clusters/{clusterId}/cloud-faults', expect: READ, request: shared(cluster('/cloud-faults')) },
  { op: 'PUT /v1/clusters/{clusterId}/cloud-faults', expect: write(200), request: shared(cluster('/cloud-faults'), () => ({ nodePools: [] })) },
  { op: 'GET /v1/clusters/{clusterId}/node-pools', expect: READ, request: shared(cluster('/node-pools')) },
  { op: 'GET /v1/clusters/{clusterId}/node-pools/{poolName}', expect: READ, request: shared(cluster('/node-pools/default')) },
  {
    op: 'POST /v1/clusters/{clusterId}/node-pools',
    expect: write(202),
    request: onFresh(
      (c) => `/v1/clusters/${c}/node-pools`,
      () => ({ name: 'extra', instanceType: 'm5.large', count: 1 }),
    ),
  },
  {
    op: 'PATCH /v1/clusters/{clusterId}/node-pools/{poolName}',
    expect: write(202),
    request: onFresh(
      (c) => `/v1/clusters/${c}/node-pools/default`,
      () => ({ labels: { team: 'a' } }),
    ),
  },
  {
    op: 'DELETE /v1/clusters/{clusterId}/node-pools/{poolName}',
    expect: write(202),
    request: onFresh((c) => `/v1/clusters/${c}/node-pools/extra`, undefined, [
      { name: 'default', instanceType: 'm5.large', count: 1 },
      { name: 'extra', instanceType: 'm5.large', count: 1 },
    ]),
  },
  {
    op: 'POST /v1/clusters/{clusterId}:upgrade',
    expect: write(202),
    request: onFresh(
      (c) => `/v1/clusters/${c}:upgrade`,
      () => ({ kubernetesVersion: '1.33' }),
    ),
  },
  { op: 'GET /v1/operations', expect: READ, request: shared(() => '/v1/operations') },
  { op: 'GET /v1/operations/{operationId}', expect: READ, request: shared(() => `/v1/operations/${operationId}`) },
  { op: 'GET /v1/kubernetes-versions', expect: ANY_TENANT, request: shared(() => '/v1/kubernetes-versions') },
  {
    op: 'POST /v1/estimates',
    expect: ANY_TENANT,
    request: shared(
      () => '/v1/estimates',
      () => ({ provider: 'eks', region: 'us-east-1', nodePools: [{ instanceType: 'm5.large', count: 1 }] }),
    ),
  },
  { op: 'GET /v1/billing/usage', expect: BILLING, request: shared(() => '/v1/billing/usage') },
  { op: 'GET /v1/billing/invoices', expect: BILLING, request: shared(() => '/v1/billing/invoices') },
  { op: 'GET /v1/billing/invoices/{period}', expect: BILLING, request: shared(() => `/v1/billing/invoices/${month}`) },
  { op: 'GET /v1/billing/budgets', expect: BILLING, request: shared(() => '/v1/billing/budgets') },
  {
    op: 'POST /v1/billing/budgets',
    expect: { ...BILLING, owner: 201, billing: 201 },
    request: shared(
      () => '/v1/billing/budgets',
      () => ({ name: 'b', amount: '10' }),
    ),
  },
  {
    op: 'DELETE /v1/billing/budgets/{budgetId}',
    expect: { ...BILLING, owner: 204, billing: 204 },
    request: async () => ({
      path: `/v1/billing/budgets/${(await app.request('POST', '/v1/billing/budgets', { token: tokens.owner, body: { name: 'b', amount: '10' } })).body.id}`,
    }),
  },
  { op: 'GET /v1/billing/alerts', expect: BILLING, request: shared(() => '/v1/billing/alerts') },
];

test('the matrix has a row for every operation in openapi.yaml', () => {
  const documented = documentedOperations();
  const rows = matrix.map((r) => r.op);
  const missing = documented.filter((op) => !rows.includes(op));
  const stale = rows.filter((op) => !documented.includes(op));
  assert.deepEqual({ missing, stale }, { missing: [], stale: [] }, 'every operation needs a row naming the status of each role');
});

const methodOf = (op: string) => op.slice(0, op.indexOf(' '));

for (const row of matrix) {
  test(`${row.op}: ${ROLES.map((r) => `${r} ${row.expect[r]}`).join(', ')}`, async () => {
    for (const role of ROLES) {
      const status = row.expect[role];
      const { path, body } = await row.request(role, status < 300);
      assert.equal(operationOf(methodOf(row.op), path), row.op, `the row's request reaches ${row.op}`);
      const r = await app.request(methodOf(row.op), path, { token: tokens[role], body });
      assert.equal(r.status, status, `${role}: ${r.text}`);
      if (status === 403) {
        assert.equal(r.body.error.code, 'FORBIDDEN');
        assert.match(r.body.error.message, /role|tenant token|admin key/);
      }
    }
  });
}

test('without a token every operation but the key exchange is 401', async () => {
  for (const row of matrix.filter((r) => r.op !== 'POST /v1/auth/token')) {
    const { path, body } = await row.request('owner', false);
    const r = await app.request(methodOf(row.op), path, { body });
    assert.equal(r.status, 401, `${row.op}: ${r.text}`);
    assert.equal(r.body.error.code, 'UNAUTHORIZED');
  }
});

test("a key exchange mints a token of the key's own role", async () => {
  for (const role of ROLES) {
    const r = await app.request('POST', '/v1/auth/token', { body: { apiKey: keys[role] } });
    const principal = await app.runtime.deps.tokens.verifyAccessToken(r.body.accessToken);
    assert.equal(principal.kind === 'admin' ? 'admin' : principal.role, role);
  }
});
