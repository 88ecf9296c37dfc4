import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BullTransport } from '../../src/platform/bullmq.ts';
import { connectRedis } from '../../src/platform/redis.ts';
import type { Controller } from '../../src/controllers/runtime.ts';
import { addClusterRow, createTestStore } from '../helpers/store.ts';
import { configMap, startRecordedWorkers, until, type PassRecord } from './helpers/recorded-passes.ts';

/**
 * Fair sharing between tenants on one worker: passes of a cluster that reads many objects go to
 * the heavy queue, which gets a quarter of the slots; a small cluster's passes keep the main queue
 * and are not made to wait behind a big tenant's backlog.
 */
const redis = connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
let transport: BullTransport;
const done: PassRecord[] = [];
let slowPasses = 0;

/** Lists the cluster's configmaps; the big tenant's passes also take a while, as heavy passes do. */
const lister: Controller = {
  name: 'lister',
  watches: [],
  async reconcile(ctx) {
    const { items } = await ctx.store.list(ctx.clusterId, 'configmaps');
    if (items.length > 100) {
      slowPasses++;
      await new Promise((r) => setTimeout(r, 150));
    }
  },
};

before(async () => {
  const testStore = await createTestStore({ clusterId: 'cls_big' });
  const { database, store, clock } = testStore;
  await addClusterRow(database, 'cls_small', clock.now());
  for (let i = 0; i < 600; i += 100)
    await store.commit(
      'cls_big',
      Array.from({ length: 100 }, (_, j) => ({ op: 'create' as const, resource: 'configmaps', object: configMap(i + j) })),
    );
  await store.create('cls_small', 'configmaps', configMap(0));
  transport = startRecordedWorkers(redis, testStore, lister, done);
});
after(async () => {
  await transport.close();
  await redis.quit();
});

test('a cluster whose passes read hundreds of objects moves to the heavy queue; a small one stays', async () => {
  await transport.enqueueReconcile('cls_big', 'lister');
  await transport.enqueueReconcile('cls_small', 'lister');
  await until(() => done.length >= 2);
  assert.deepEqual(new Set(done.map((d) => d.queue)), new Set(['reconcile']), 'first passes: nothing is known about either yet');
  await transport.enqueueReconcile('cls_big', 'lister');
  await transport.enqueueReconcile('cls_small', 'lister');
  await until(() => done.length >= 4);
  assert.deepEqual(
    done
      .slice(2)
      .map((d) => `${d.clusterId}@${d.queue}`)
      .sort(),
    ['cls_big@reconcile-heavy', 'cls_small@reconcile'],
  );
});

test("a small cluster's pass runs at once while a big tenant's backlog waits for its share of slots", async () => {
  done.length = 0;
  slowPasses = 0;
  // The big tenant's backlog: twelve passes waiting, each holding a slot for a while.
  for (let i = 0; i < 12; i++) await transport.heavyReconcileQueue.add('lister', { clusterId: 'cls_big', controller: 'lister' }, { removeOnComplete: true });
  await transport.enqueueReconcile('cls_small', 'lister');
  await until(() => done.some((d) => d.clusterId === 'cls_small'));
  const bigDoneBeforeSmall = done.findIndex((d) => d.clusterId === 'cls_small');
  assert.ok(bigDoneBeforeSmall <= 2, `the small cluster's pass finished after ${bigDoneBeforeSmall} of the big tenant's`);
  await until(() => done.filter((d) => d.clusterId === 'cls_big').length >= 12);
  assert.ok(slowPasses >= 12);
});
