import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Job } from 'bullmq';
import { BullTransport } from '../../src/platform/bullmq.ts';
import { connectRedis } from '../../src/platform/redis.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { randomString } from '../../src/lib/ids.ts';
import type { Controller } from '../../src/controllers/runtime.ts';
import type { KubeObject } from '../../src/kube/types.ts';
import { addClusterRow, createTestStore } from '../helpers/store.ts';

/**
 * Fair sharing between tenants on one worker: passes of a cluster that reads many objects go to
 * the heavy queue, which gets a quarter of the slots; a small cluster's passes keep the main queue
 * and are not made to wait behind a big tenant's backlog.
 */
const redis = connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
let transport: BullTransport;
const done: Array<{ queue: string; clusterId: string }> = [];
let slowPasses = 0;

const configMap = (i: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: `cm-${i}`, namespace: 'default' },
  data: { i: String(i) },
});

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
  const { database, store, clock } = await createTestStore({ clusterId: 'cls_big' });
  await addClusterRow(database, 'cls_small', clock.now());
  for (let i = 0; i < 600; i += 100)
    await store.commit(
      'cls_big',
      Array.from({ length: 100 }, (_, j) => ({ op: 'create' as const, resource: 'configmaps', object: configMap(i + j) })),
    );
  await store.create('cls_small', 'configmaps', configMap(0));
  transport = new BullTransport(redis, `t${randomString(8)}`, createLogger('silent'));
  transport.startWorkers({
    database,
    store,
    clock,
    log: createLogger('silent'),
    controllers: [lister],
    concurrency: 4,
    billingMs: 3_600_000,
    now: () => clock.now(),
    trigger: () => undefined,
  });
  for (const w of transport.workers) w.on('completed', (job: Job) => job.data?.clusterId && done.push({ queue: w.name, clusterId: job.data.clusterId }));
});
after(async () => {
  await transport.close();
  await redis.quit();
});

const until = async (what: () => boolean) => {
  for (let i = 0; i < 400 && !what(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(what());
};

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
