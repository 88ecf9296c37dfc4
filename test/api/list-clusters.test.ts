import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, defaultClusterBody, type Harness } from '../helpers/harness.ts';
import { runOperation } from '../../src/services/operations/run.ts';

/** GET /v1/clusters: newest first, cursor pages that neither skip nor repeat, a status filter. */
let h: Harness;
let token: string;
const created: { id: string; operationId: string }[] = [];

before(async () => {
  // No workers: clusters stay PROVISIONING unless the test runs their operation.
  h = await startHarness({ role: 'api' });
  token = (await h.tenant()).token;
  for (let i = 0; i < 7; i++) {
    const r = await h.request('POST', '/v1/clusters', { token, body: defaultClusterBody() });
    created.push({ id: r.body.id, operationId: r.body.operation.id });
  }
});
after(() => h.stop());

test('pages of 3 walk all 7 clusters newest first, then the cursor is null', async () => {
  const seen: string[] = [];
  let cursor: string | null = null;
  const sizes: number[] = [];
  do {
    const r: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await h.request('GET', `/v1/clusters?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    assert.equal(r.status, 200);
    sizes.push(r.body.items.length);
    seen.push(...r.body.items.map((c) => c.id));
    cursor = r.body.nextCursor;
  } while (cursor);
  assert.deepEqual(sizes, [3, 3, 1]);
  assert.deepEqual([...seen].sort(), created.map((c) => c.id).sort());
  // The same order as one big page: newest first (ties on the millisecond broken by id).
  const all = (await h.request('GET', '/v1/clusters?limit=200', { token })).body.items as { id: string; createdAt: string }[];
  assert.deepEqual(seen, all.map((c) => c.id));
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].createdAt >= all[i].createdAt);
});

test('a page that ends exactly at the last cluster has no next cursor', async () => {
  const r = await h.request('GET', '/v1/clusters?limit=7', { token });
  assert.equal(r.body.items.length, 7);
  assert.equal(r.body.nextCursor, null);
});

test('status filters the list', async () => {
  const { database, store, log } = h.runtime.deps;
  await runOperation({ database, store, log, now: () => Date.now() }, created[2].operationId);
  const runningList = await h.request('GET', '/v1/clusters?status=RUNNING', { token });
  assert.deepEqual(runningList.body.items.map((c: { id: string }) => c.id), [created[2].id]);
  const provisioning = await h.request('GET', '/v1/clusters?status=PROVISIONING', { token });
  assert.equal(provisioning.body.items.length, 6);
  assert.ok(provisioning.body.items.every((c: { status: string }) => c.status === 'PROVISIONING'));
});

test('another tenant\'s list is empty', async () => {
  const other = (await h.tenant()).token;
  assert.deepEqual((await h.request('GET', '/v1/clusters', { token: other })).body, { items: [], nextCursor: null });
});
