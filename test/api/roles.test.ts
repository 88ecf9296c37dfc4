import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, defaultClusterBody, type Harness } from '../helpers/harness.ts';

/**
 * Roles per endpoint: owner does everything; developer runs clusters but not keys or billing;
 * viewer reads clusters; billing reads billing and nothing else; the admin manages tenants only.
 */
let h: Harness;
let owner: { id: string; key: string; token: string };
const tokens: Record<string, string> = {};
let clusterId: string;
let operationId: string;

before(async () => {
  h = await startHarness();
  owner = await h.tenant();
  tokens.owner = owner.token;
  for (const role of ['developer', 'viewer', 'billing']) tokens[role] = (await h.keyFor(owner.id, owner.token, role)).token;
  tokens.admin = await h.adminToken();
  const created = await h.request('POST', '/v1/clusters', { token: owner.token, body: defaultClusterBody() });
  clusterId = created.body.id;
  operationId = created.body.operation.id;
  await h.waitFor(async () => (await h.request('GET', `/v1/clusters/${clusterId}`, { token: owner.token })).body.status === 'RUNNING', 'RUNNING');
});
after(() => h.stop());

type Expect = Partial<Record<'owner' | 'developer' | 'viewer' | 'billing' | 'admin', number>>;
const month = new Date().toISOString().slice(0, 7);

/** Requests that change nothing (or only mint credentials), so every role can be tried on each. */
const matrix: { method: string; route: string; body?: unknown; expect: Expect }[] = [
  { method: 'GET', route: '/v1/clusters', expect: { owner: 200, developer: 200, viewer: 200, billing: 403, admin: 403 } },
  { method: 'GET', route: '/v1/clusters/{cluster}', expect: { owner: 200, developer: 200, viewer: 200, billing: 403, admin: 403 } },
  { method: 'GET', route: '/v1/operations', expect: { owner: 200, developer: 200, viewer: 200, billing: 403, admin: 403 } },
  { method: 'GET', route: '/v1/tenants', expect: { owner: 403, developer: 403, viewer: 403, billing: 403, admin: 200 } },
  { method: 'DELETE', route: '/v1/tenants/{tenant}', expect: { owner: 403, developer: 403, viewer: 403, billing: 403 } },
  { method: 'GET', route: '/v1/operations/{operation}', expect: { owner: 200, developer: 200, viewer: 200, billing: 403, admin: 403 } },
  { method: 'POST', route: '/v1/clusters', body: { ...defaultClusterBody(), name: 'x' }, expect: { viewer: 403, billing: 403, admin: 403 } },
  { method: 'PATCH', route: '/v1/clusters/{cluster}', body: { labels: { team: 'a' } }, expect: { owner: 200, developer: 200, viewer: 403, billing: 403, admin: 403 } },
  { method: 'DELETE', route: '/v1/clusters/{cluster}', expect: { viewer: 403, billing: 403, admin: 403 } },
  { method: 'GET', route: '/v1/clusters/{cluster}/kubeconfig', expect: { owner: 200, developer: 200, viewer: 403, billing: 403, admin: 403 } },
  { method: 'POST', route: '/v1/clusters/{cluster}/kubeconfig:rotate', expect: { developer: 403, viewer: 403, billing: 403, admin: 403 } },
  { method: 'POST', route: '/v1/clusters/{cluster}/tokens', body: { role: 'view', namespaces: ['default'] }, expect: { owner: 201, developer: 201, viewer: 403, billing: 403, admin: 403 } },
  { method: 'GET', route: '/v1/clusters/{cluster}/node-pools', expect: { owner: 200, developer: 200, viewer: 200, billing: 403, admin: 403 } },
  { method: 'GET', route: '/v1/clusters/{cluster}/node-pools/default', expect: { owner: 200, developer: 200, viewer: 200, billing: 403, admin: 403 } },
  { method: 'POST', route: '/v1/clusters/{cluster}/node-pools', body: { name: 'extra', instanceType: 'm5.large', count: 1 }, expect: { viewer: 403, billing: 403, admin: 403 } },
  { method: 'PATCH', route: '/v1/clusters/{cluster}/node-pools/default', body: { labels: { team: 'a' } }, expect: { viewer: 403, billing: 403, admin: 403 } },
  { method: 'DELETE', route: '/v1/clusters/{cluster}/node-pools/default', expect: { viewer: 403, billing: 403, admin: 403 } },
  { method: 'POST', route: '/v1/clusters/{cluster}:upgrade', body: { kubernetesVersion: '1.33' }, expect: { viewer: 403, billing: 403, admin: 403 } },
  { method: 'GET', route: '/v1/kubernetes-versions', expect: { owner: 200, developer: 200, viewer: 200, billing: 200, admin: 403 } },
  { method: 'GET', route: '/v1/billing/usage', expect: { owner: 200, developer: 403, viewer: 403, billing: 200, admin: 403 } },
  { method: 'GET', route: '/v1/billing/invoices', expect: { owner: 200, developer: 403, viewer: 403, billing: 200, admin: 403 } },
  { method: 'GET', route: '/v1/billing/invoices/{month}', expect: { owner: 200, developer: 403, viewer: 403, billing: 200, admin: 403 } },
  { method: 'GET', route: '/v1/billing/budgets', expect: { owner: 200, developer: 403, viewer: 403, billing: 200, admin: 403 } },
  { method: 'GET', route: '/v1/billing/alerts', expect: { owner: 200, developer: 403, viewer: 403, billing: 200, admin: 403 } },
  { method: 'GET', route: '/v1/clusters/{cluster}/costs', expect: { owner: 200, developer: 403, viewer: 403, billing: 200, admin: 403 } },
  { method: 'GET', route: '/v1/tenants/{tenant}', expect: { owner: 200, developer: 200, viewer: 200, billing: 200, admin: 200 } },
  { method: 'GET', route: '/v1/tenants/{tenant}/api-keys', expect: { owner: 200, developer: 403, viewer: 403, billing: 403, admin: 200 } },
  { method: 'POST', route: '/v1/tenants/{tenant}/api-keys', body: { name: 'ci', role: 'viewer' }, expect: { owner: 201, developer: 403, viewer: 403, billing: 403, admin: 201 } },
  { method: 'POST', route: '/v1/tenants', body: { name: 'not-by-a-tenant' }, expect: { owner: 403, developer: 403, viewer: 403, billing: 403 } },
];

/** Fills the route's placeholders with this run's ids. */
const pathOf = (route: string) =>
  route.replace('{cluster}', clusterId).replace('{operation}', operationId).replace('{tenant}', owner.id).replace('{month}', month);

for (const row of matrix) {
  test(`${row.method} ${row.route}: ${Object.entries(row.expect).map(([r, s]) => `${r} ${s}`).join(', ')}`, async () => {
    for (const [role, status] of Object.entries(row.expect)) {
      const r = await h.request(row.method, pathOf(row.route), { token: tokens[role], body: row.body });
      assert.equal(r.status, status, `${role}: ${r.text}`);
      if (status === 403) {
        assert.equal(r.body.error.code, 'FORBIDDEN');
        assert.match(r.body.error.message, /role|tenant token|admin key/);
      }
    }
  });
}

test('a developer creates and deletes clusters; a viewer still cannot delete one', async () => {
  const created = await h.request('POST', '/v1/clusters', { token: tokens.developer, body: defaultClusterBody() });
  assert.equal(created.status, 202);
  await h.waitFor(async () => (await h.request('GET', `/v1/clusters/${created.body.id}`, { token: tokens.viewer })).body.status === 'RUNNING', 'RUNNING');
  assert.equal((await h.request('DELETE', `/v1/clusters/${created.body.id}`, { token: tokens.viewer })).status, 403);
  const del = await h.request('DELETE', `/v1/clusters/${created.body.id}`, { token: tokens.developer });
  assert.equal(del.status, 202);
});
