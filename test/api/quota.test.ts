import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, defaultClusterBody, type Harness } from '../helpers/harness.ts';

/** Plan quotas (free: 2 clusters, 6 nodes, timeScale 60) answer 403 QUOTA_EXCEEDED naming the quota. */
let h: Harness;

before(async () => {
  h = await startHarness();
});
after(() => h.stop());

async function freeTenant(): Promise<string> {
  const admin = await h.adminToken();
  const t = await h.request('POST', '/v1/tenants', { token: admin, body: { name: `free-${Math.random().toString(36).slice(2, 8)}`, plan: 'free' } });
  assert.equal(t.status, 201);
  assert.deepEqual([t.body.plan.name, t.body.plan.maxClusters, t.body.plan.maxNodes, t.body.plan.maxTimeScale], ['free', 2, 6, 60]);
  return (await h.keyFor(t.body.id, admin, 'owner')).token;
}

const cluster = (count: number, over: Record<string, unknown> = {}) => ({
  ...defaultClusterBody(),
  nodePools: [{ name: 'default', instanceType: 'm5.large', count }],
  ...over,
});

function assertQuota(r: { status: number; body: any; text: string }, quota: string, limit: number) {
  assert.equal(r.status, 403, r.text);
  assert.equal(r.body.error.code, 'QUOTA_EXCEEDED');
  assert.equal(r.body.error.details.quota, quota);
  assert.equal(r.body.error.details.limit, limit);
}

test("nodes: one cluster over the plan, then the sum over the tenant's clusters", async () => {
  const token = await freeTenant();
  assertQuota(await h.request('POST', '/v1/clusters', { token, body: cluster(7) }), 'maxNodes', 6);
  assert.equal((await h.request('POST', '/v1/clusters', { token, body: cluster(4) })).status, 202);
  const over = await h.request('POST', '/v1/clusters', { token, body: cluster(3) });
  assertQuota(over, 'maxNodes', 6);
  assert.match(over.body.error.message, /would make 7/);
  assert.equal((await h.request('POST', '/v1/clusters', { token, body: cluster(2) })).status, 202);
});

test('clusters: the third is refused until one is deleted', async () => {
  const token = await freeTenant();
  const first = await h.runningCluster(token, cluster(1));
  await h.runningCluster(token, cluster(1));
  assertQuota(await h.request('POST', '/v1/clusters', { token, body: cluster(1) }), 'maxClusters', 2);
  assert.equal((await h.request('DELETE', `/v1/clusters/${first.id}`, { token })).status, 202);
  await h.waitFor(async () => (await h.request('GET', `/v1/clusters/${first.id}`, { token })).body.status === 'DELETED', 'DELETED');
  assert.equal((await h.request('POST', '/v1/clusters', { token, body: cluster(1) })).status, 202);
});

test('timeScale above the plan maximum', async () => {
  const token = await freeTenant();
  const r = await h.request('POST', '/v1/clusters', { token, body: cluster(1, { timeScale: 61 }) });
  assertQuota(r, 'maxTimeScale', 60);
  assert.equal(r.body.error.details.field, 'timeScale');
  assert.equal((await h.request('POST', '/v1/clusters', { token, body: cluster(1, { timeScale: 60 }) })).status, 202);
});

test('growing a pool past the node quota is refused; shrinking is not', async () => {
  const token = await freeTenant();
  const c = await h.runningCluster(token, cluster(3, { nodePools: [{ name: 'default', instanceType: 'm5.large', count: 3, maxCount: 10 }] }));
  assertQuota(await h.request('PATCH', `/v1/clusters/${c.id}`, { token, body: { nodePools: [{ name: 'default', count: 7 }] } }), 'maxNodes', 6);
  const ok = await h.request('PATCH', `/v1/clusters/${c.id}`, { token, body: { nodePools: [{ name: 'default', count: 6 }] } });
  assert.equal(ok.status, 202, ok.text);
  await h.waitFor(async () => (await h.request('GET', `/v1/clusters/${c.id}`, { token })).body.status === 'RUNNING', 'RUNNING');
  assert.equal((await h.request('PATCH', `/v1/clusters/${c.id}`, { token, body: { nodePools: [{ name: 'default', count: 2, minCount: 0 }] } })).status, 202);
});

test('quotas are per tenant: one tenant at its limit does not hold back another', async () => {
  const full = await freeTenant();
  await h.request('POST', '/v1/clusters', { token: full, body: cluster(6) });
  assertQuota(await h.request('POST', '/v1/clusters', { token: full, body: cluster(1) }), 'maxNodes', 6);
  const other = await freeTenant();
  assert.equal((await h.request('POST', '/v1/clusters', { token: other, body: cluster(6) })).status, 202);
});
