import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, defaultClusterBody, type Harness } from '../helpers/harness.ts';

/** Idempotency-Key on POST /v1/clusters, as the IETF draft describes it. */
let h: Harness;
let owner: { id: string; key: string; token: string };

before(async () => {
  h = await startHarness({ role: 'api' });
  owner = await h.tenant();
});
after(() => h.stop());

const create = (token: string, body: unknown, key?: string) =>
  h.request('POST', '/v1/clusters', { token, body, headers: key ? { 'idempotency-key': key } : {} });

async function clustersNamed(token: string, name: string): Promise<string[]> {
  const all = [...(await h.request('GET', '/v1/clusters?limit=200', { token })).body.items];
  return all.filter((c: { name: string }) => c.name === name).map((c: { id: string }) => c.id);
}

test('the same key and body return the same cluster and operation; one cluster exists', async () => {
  const body = defaultClusterBody();
  const first = await create(owner.token, body, 'retry-1');
  const again = await create(owner.token, body, 'retry-1');
  assert.equal(first.status, 202);
  assert.equal(again.status, 202);
  assert.equal(again.body.id, first.body.id);
  assert.equal(again.body.operation.id, first.body.operation.id);
  assert.equal(again.headers.location, first.headers.location);
  // Key order in the JSON does not make it another request.
  const reordered = Object.fromEntries(Object.entries(body).reverse());
  assert.equal((await create(owner.token, reordered, 'retry-1')).body.id, first.body.id);
  assert.deepEqual(await clustersNamed(owner.token, body.name), [first.body.id]);
});

test('the same key with a different body is 422 IDEMPOTENCY_KEY_REUSED and creates nothing', async () => {
  const body = defaultClusterBody();
  const first = await create(owner.token, body, 'retry-2');
  const other = { ...defaultClusterBody(), name: `${body.name}-b` };
  const r = await create(owner.token, other, 'retry-2');
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'IDEMPOTENCY_KEY_REUSED');
  assert.deepEqual(await clustersNamed(owner.token, other.name), []);
  const changedCount = { ...body, nodePools: [{ ...body.nodePools[0], count: 4 }] };
  assert.equal((await create(owner.token, changedCount, 'retry-2')).status, 422);
  assert.deepEqual(await clustersNamed(owner.token, body.name), [first.body.id]);
});

test('the same key while the first request is still in flight is 409 IDEMPOTENCY_KEY_IN_USE', async () => {
  const queue = h.runtime.deps.queue;
  const enqueue = queue.enqueueOperation.bind(queue);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let entered!: () => void;
  const inside = new Promise<void>((r) => (entered = r));
  // Hold the first request between its database write and its answer.
  queue.enqueueOperation = async (id: string) => {
    entered();
    await gate;
    return enqueue(id);
  };
  try {
    const body = defaultClusterBody();
    const first = create(owner.token, body, 'retry-3');
    await inside;
    const during = await create(owner.token, body, 'retry-3');
    assert.equal(during.status, 409);
    assert.equal(during.body.error.code, 'IDEMPOTENCY_KEY_IN_USE');
    release();
    const done = await first;
    assert.equal(done.status, 202);
    const after = await create(owner.token, body, 'retry-3');
    assert.equal(after.status, 202);
    assert.equal(after.body.id, done.body.id);
  } finally {
    queue.enqueueOperation = enqueue;
    release();
  }
});

test("keys belong to one tenant: another tenant's identical request creates its own cluster", async () => {
  const other = await h.tenant();
  const body = defaultClusterBody();
  const mine = await create(owner.token, body, 'shared-key');
  const theirs = await create(other.token, body, 'shared-key');
  assert.equal(theirs.status, 202);
  assert.notEqual(theirs.body.id, mine.body.id);
});

test('a failed attempt does not hold the key: the retry runs again', async () => {
  const body = defaultClusterBody();
  assert.equal((await create(owner.token, body)).status, 202);
  const clash = await create(owner.token, body, 'retry-4');
  assert.equal(clash.status, 409);
  assert.equal(clash.body.error.code, 'CONFLICT');
  const retry = await create(owner.token, body, 'retry-4');
  assert.equal(retry.status, 409);
  assert.equal(retry.body.error.code, 'CONFLICT', 'the name clash again, not IDEMPOTENCY_KEY_IN_USE');
});

test('without a key every request is new; an over-long key is 400', async () => {
  const body = defaultClusterBody();
  assert.equal((await create(owner.token, body)).status, 202);
  assert.equal((await create(owner.token, body)).status, 409, 'the name is taken');
  const long = await create(owner.token, defaultClusterBody(), 'k'.repeat(256));
  assert.equal(long.status, 400);
  assert.match(long.body.error.message, /Idempotency-Key/);
});

test('a key left in flight by a crashed request is released after a minute, and the retry runs', async () => {
  const body = defaultClusterBody();
  const { database } = h.runtime.deps;
  const { idempotencyKeys, clusters } = await import('../../src/store/schema/index.ts');
  const { and, eq } = await import('drizzle-orm');
  // Learn the request's fingerprint from a first request, then take that request back (its cluster
  // never existed), leaving behind what a process that died mid-request leaves: the key in flight.
  const probe = await create(owner.token, body, 'probe-1');
  const row = await database.db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.tenantId, owner.id), eq(idempotencyKeys.key, 'probe-1')))
    .get();
  await database.atomicWrite([
    { query: database.db.update(clusters).set({ status: 'DELETED' }).where(eq(clusters.id, probe.body.id)) },
    {
      query: database.db
        .insert(idempotencyKeys)
        .values({ tenantId: owner.id, key: 'crashed-1', requestHash: row!.requestHash, createdAt: Date.now() - 61_000 }),
    },
  ]);
  const fresh = await database.db
    .insert(idempotencyKeys)
    .values({ tenantId: owner.id, key: 'busy-1', requestHash: row!.requestHash, createdAt: Date.now() })
    .run();
  assert.equal(fresh.changes, 1);
  assert.equal((await create(owner.token, body, 'busy-1')).status, 409, 'a key taken a moment ago is still in flight');
  const retry = await create(owner.token, body, 'crashed-1');
  assert.equal(retry.status, 202, retry.text);
  assert.notEqual(retry.body.id, probe.body.id);
  assert.equal((await create(owner.token, body, 'crashed-1')).body.id, retry.body.id);
});

test('an answered key replays for a day; after that it counts as new, and the sweep deletes it', async () => {
  const body = defaultClusterBody();
  const { database } = h.runtime.deps;
  const { idempotencyKeys, clusters } = await import('../../src/store/schema/index.ts');
  const { and, eq } = await import('drizzle-orm');
  const { sweepIdempotencyKeys, IDEMPOTENCY_RETENTION_MS } = await import('../../src/services/housekeeping/idempotency-keys.ts');
  const first = await create(owner.token, body, 'daily-1');
  assert.equal(first.status, 202);
  const backdate = (key: string, ageMs: number) =>
    database.atomicWrite([
      {
        query: database.db
          .update(idempotencyKeys)
          .set({ createdAt: Date.now() - ageMs })
          .where(and(eq(idempotencyKeys.tenantId, owner.id), eq(idempotencyKeys.key, key))),
      },
    ]);
  await backdate('daily-1', IDEMPOTENCY_RETENTION_MS - 60_000);
  assert.equal((await create(owner.token, body, 'daily-1')).body.id, first.body.id, 'still inside the day: replayed');
  // A day later the first cluster is long gone (its name is free again) and the key starts afresh.
  await backdate('daily-1', IDEMPOTENCY_RETENTION_MS + 60_000);
  await database.atomicWrite([{ query: database.db.update(clusters).set({ status: 'DELETED' }).where(eq(clusters.id, first.body.id)) }]);
  const again = await create(owner.token, body, 'daily-1');
  assert.equal(again.status, 202, again.text);
  assert.notEqual(again.body.id, first.body.id);

  const young = await create(owner.token, defaultClusterBody(), 'young-1');
  const old = await create(owner.token, defaultClusterBody(), 'old-1');
  await backdate('old-1', IDEMPOTENCY_RETENTION_MS + 1);
  await sweepIdempotencyKeys(database, Date.now());
  const left = (await database.db.select({ key: idempotencyKeys.key }).from(idempotencyKeys).where(eq(idempotencyKeys.tenantId, owner.id)).all()).map(
    (r) => r.key,
  );
  assert.ok(left.includes('young-1') && left.includes('daily-1'), String(left));
  assert.ok(!left.includes('old-1'), String(left));
  assert.equal(young.status, 202);
  assert.equal(old.status, 202);
});
