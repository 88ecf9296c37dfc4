import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BullTransport } from '../../src/platform/bullmq.ts';
import { connectRedis } from '../../src/platform/redis.ts';
import type { Controller } from '../../src/controllers/runtime.ts';
import { addClusterRow, createTestStore } from '../helpers/store.ts';
import { configMap, startRecordedWorkers, until, type PassRecord } from './helpers/recorded-passes.ts';

/**
 * Fair sharing is per tenant, not only per cluster: a tenant whose many small clusters all churn at
 * once (each pass well below the heavy mark) reads more than its share, so its passes go to the heavy
 * queue too, and another tenant's pass does not wait behind its backlog.
 */
const redis = connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
let transport: BullTransport;
const done: PassRecord[] = [];
let slow = false;

const BUSY = Array.from({ length: 8 }, (_, i) => `cls_busy${i}`);
/** Lists the cluster's configmaps; the busy tenant's passes hold their slot a while once `slow` is set. */
const lister: Controller = {
  name: 'lister',
  watches: [],
  async reconcile(ctx) {
    const { items } = await ctx.store.list(ctx.clusterId, 'configmaps');
    if (slow && items.length > 100) await new Promise((r) => setTimeout(r, 100));
  },
};

before(async () => {
  const testStore = await createTestStore({ clusterId: 'cls_quiet' });
  const { database, store, clock } = testStore;
  await store.create('cls_quiet', 'configmaps', configMap(0));
  for (const id of BUSY) {
    await addClusterRow(database, id, clock.now(), 1, 'ten_busy');
    await store.commit(
      id,
      Array.from({ length: 300 }, (_, j) => ({ op: 'create' as const, resource: 'configmaps', object: configMap(j) })),
    );
  }
  transport = startRecordedWorkers(redis, testStore, lister, done);
});
after(async () => {
  await transport.close();
  await redis.quit();
});

test("a tenant churning many small clusters gets the heavy queue's share; another tenant's pass runs first", async () => {
  // The busy tenant's clusters each read 300 objects a pass (below the 400 of a heavy cluster), many
  // times a second between them: over 5,000 objects a second for the tenant.
  for (let round = 0; round < 30; round++) {
    const before = done.length;
    for (const id of BUSY) await transport.enqueueReconcile(id, 'lister');
    await until(() => done.length >= before + BUSY.length, 800);
  }
  done.length = 0;
  slow = true;
  for (const id of BUSY) await transport.enqueueReconcile(id, 'lister');
  await transport.enqueueReconcile('cls_quiet', 'lister');
  await until(() => done.some((d) => d.clusterId === 'cls_quiet'), 800);
  const busyDoneBefore = done.findIndex((d) => d.clusterId === 'cls_quiet');
  assert.ok(busyDoneBefore <= 2, `the quiet tenant's pass finished after ${busyDoneBefore} of the busy tenant's`);
  await until(() => done.length >= BUSY.length + 1, 800);
  assert.deepEqual(new Set(done.filter((d) => d.clusterId !== 'cls_quiet').map((d) => d.queue)), new Set(['reconcile-heavy']));
  assert.equal(done.find((d) => d.clusterId === 'cls_quiet')!.queue, 'reconcile');
});
