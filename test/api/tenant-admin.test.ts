import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { startHarness, defaultClusterBody, type Harness, type HttpResponse } from '../helpers/harness.ts';
import { runBillingCycle } from '../../src/billing/cycle.ts';
import { apiKeys, clusters, usageRecords } from '../../src/store/schema/index.ts';

/**
 * The operator deletes tenants (their clusters through the workers, their usage kept); a tenant pages
 * through its operations. Listing tenants and a busy tenant's 409 are tested in process, test/routes.
 */
let h: Harness;
let admin: string;

before(async () => {
  h = await startHarness();
  admin = await h.adminToken();
});
after(() => h.stop());

test("GET /v1/operations pages through the tenant's operations, filtered by cluster when asked", async () => {
  const t = await h.tenant();
  const a = await h.runningCluster(t.token);
  const b = await h.runningCluster(t.token);
  await settled(t.token, a.id);
  const resize = await h.request('PATCH', `/v1/clusters/${a.id}`, { token: t.token, body: { nodePools: [{ name: 'default', count: 2, minCount: 1 }] } });
  assert.equal(resize.status, 202, resize.text);

  const all: { id: string; clusterId: string; type: string }[] = [];
  let cursor: string | null = null;
  do {
    const r: HttpResponse = await h.request('GET', `/v1/operations?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: t.token });
    assert.equal(r.status, 200, r.text);
    all.push(...r.body.items);
    cursor = r.body.nextCursor;
  } while (cursor);
  assert.deepEqual(
    all.map((o) => o.type),
    ['UPDATE_CLUSTER', 'CREATE_CLUSTER', 'CREATE_CLUSTER'],
  );
  assert.equal(all[0]!.id, resize.body.operation.id);

  const onlyB = await h.request('GET', `/v1/operations?clusterId=${b.id}`, { token: t.token });
  assert.deepEqual(
    onlyB.body.items.map((o: { clusterId: string; type: string }) => [o.clusterId, o.type]),
    [[b.id, 'CREATE_CLUSTER']],
  );
  assert.equal(onlyB.body.nextCursor, null);
});

test('DELETE /v1/tenants/{id} revokes its keys, deletes its clusters through DELETE_CLUSTER and keeps its usage', async () => {
  const t = await h.tenant();
  const viewer = await h.keyFor(t.id, t.token, 'viewer');
  const cluster = await h.runningCluster(t.token, { ...defaultClusterBody(), timeScale: 3600 });
  await h.waitFor(
    async () => (
      await runBillingCycle({ database: h.runtime.deps.database, nowMs: Date.now() }),
      (await h.runtime.deps.database.db.select().from(usageRecords).where(eq(usageRecords.tenantId, t.id)).all()).length > 0
    ),
    'usage rated',
  );

  await settled(t.token, cluster.id);
  const del = await h.request('DELETE', `/v1/tenants/${t.id}`, { token: admin });
  assert.equal(del.status, 202, del.text);
  assert.ok(del.body.tenant.deletedAt);
  assert.deepEqual(
    del.body.operations.map((o: { clusterId: string; type: string }) => [o.clusterId, o.type]),
    [[cluster.id, 'DELETE_CLUSTER']],
  );
  assert.deepEqual(new Set(del.body.revokedApiKeys), new Set([viewer.id, ...(await keyIdsOf(t.id))]));

  // The keys are dead at once: their tokens and a new sign-in alike.
  assert.equal((await h.request('GET', '/v1/clusters', { token: t.token })).status, 401);
  assert.equal((await h.request('POST', '/v1/auth/token', { body: { apiKey: t.key } })).status, 401);
  await h.waitFor(
    async () => (await h.runtime.deps.database.db.select().from(clusters).where(eq(clusters.id, cluster.id)).get())?.status === 'DELETED',
    'cluster DELETED',
  );

  const usage = await h.runtime.deps.database.db.select().from(usageRecords).where(eq(usageRecords.tenantId, t.id)).all();
  assert.ok(usage.length > 0, 'rated usage (the invoices) is kept');
  const listed = await h.request('GET', `/v1/tenants/${t.id}`, { token: admin });
  assert.equal(listed.status, 200);
  assert.equal(listed.body.deletedAt, del.body.tenant.deletedAt);

  // Again: nothing left to do, the same deletion time.
  const again = await h.request('DELETE', `/v1/tenants/${t.id}`, { token: admin });
  assert.equal(again.status, 202);
  assert.deepEqual([again.body.operations, again.body.revokedApiKeys, again.body.tenant.deletedAt], [[], [], del.body.tenant.deletedAt]);
  assert.equal((await h.request('DELETE', '/v1/tenants/ten_nope', { token: admin })).status, 404);
});

/** A cluster turns RUNNING a moment before its CREATE_CLUSTER operation is marked done: wait for both. */
async function settled(token: string, clusterId: string): Promise<void> {
  await h.waitFor(
    async () =>
      (await h.request('GET', `/v1/operations?clusterId=${clusterId}`, { token })).body.items.every((o: { status: string }) => o.status === 'SUCCEEDED'),
    'operations done',
  );
}

async function keyIdsOf(tenantId: string): Promise<string[]> {
  return (await h.runtime.deps.database.db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).all()).map((r) => r.id);
}
