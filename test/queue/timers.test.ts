import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BullTransport } from '../../src/platform/bullmq.ts';
import { connectRedis } from '../../src/platform/redis.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { randomString } from '../../src/lib/ids.ts';
import type { Controller, ReconcileResult } from '../../src/controllers/runtime.ts';
import { addClusterRow, createTestStore } from '../helpers/store.ts';

/**
 * Timers on BullMQ: a pass's `requeueAfterMs` arms the one delayed job of its (cluster, controller),
 * which fires on time; the next pass's answer replaces it, and no answer leaves no job at all.
 */
const redis = connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `t${randomString(8)}`;
let transport: BullTransport;
let store: Awaited<ReturnType<typeof createTestStore>>;

/** Answers what `next` holds for each cluster, and records when its passes ran. */
const answers = new Map<string, ReconcileResult>();
const passes = new Map<string, number[]>();
const timed: Controller = {
  name: 'timed',
  watches: [],
  async reconcile(ctx) {
    passes.set(ctx.clusterId, [...(passes.get(ctx.clusterId) ?? []), Date.now()]);
    return answers.get(ctx.clusterId) ?? {};
  },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = async (what: () => boolean, ms = 5000) => {
  for (let waited = 0; !what() && waited < ms; waited += 20) await sleep(20);
  assert.ok(what());
};
const delayedJobsOf = async (clusterId: string) => (await transport.reconcileQueue.getDelayed()).filter((j) => j.data.clusterId === clusterId).length;

before(async () => {
  store = await createTestStore({ clusterId: 'cls_boot' });
  transport = new BullTransport(redis, prefix, createLogger('silent'));
  transport.startWorkers({
    ...store,
    log: createLogger('silent'),
    controllers: [timed],
    concurrency: 4,
    billingMs: 3_600_000,
    now: () => store.clock.now(),
    trigger: () => undefined,
  });
});
after(async () => {
  await transport.close();
  await redis.quit();
});

test('a fresh Redis (no timers marker) gets one pass of every controller of every running cluster; a Redis that kept its timers does not', async () => {
  await until(() => (passes.get('cls_boot') ?? []).length === 1);
  await addClusterRow(store.database, 'cls_later', store.clock.now());
  assert.equal(await transport.ensureTimers(async () => ['cls_boot', 'cls_later']), 0, 'the marker is set: nothing to re-arm');
  await redis.del(`${prefix}:timers-armed`);
  assert.equal(await transport.ensureTimers(async () => ['cls_boot', 'cls_later']), 2);
  await until(() => (passes.get('cls_later') ?? []).length === 1);
});

test('a due timer fires within a second of its due time, once, and a pass with nothing due leaves no job', async () => {
  await addClusterRow(store.database, 'cls_due', store.clock.now());
  answers.set('cls_due', { requeueAfterMs: 1500 });
  await transport.enqueueReconcile('cls_due', 'timed');
  await until(() => (passes.get('cls_due') ?? []).length === 1);
  answers.set('cls_due', {});
  await until(() => (passes.get('cls_due') ?? []).length === 2, 4000);
  const [first, second] = passes.get('cls_due')!;
  assert.ok(second - first >= 1500 && second - first < 2500, `fired ${second - first} ms after the pass that asked for 1500 ms`);
  await sleep(1500);
  assert.equal(passes.get('cls_due')!.length, 2, 'nothing due: no more passes');
  assert.equal(await delayedJobsOf('cls_due'), 0);
  assert.equal(await redis.exists(`${prefix}:timer:cls_due:timed`), 0);
});

test("one timer per key: a later pass's answer replaces the delayed job, and no answer removes it", async () => {
  await addClusterRow(store.database, 'cls_one', store.clock.now());
  answers.set('cls_one', { requeueAfterMs: 60_000 });
  await transport.enqueueReconcile('cls_one', 'timed');
  await until(() => (passes.get('cls_one') ?? []).length === 1);
  await sleep(100);
  assert.equal(await delayedJobsOf('cls_one'), 1);

  answers.set('cls_one', { requeueAfterMs: 30_000 });
  await transport.enqueueReconcile('cls_one', 'timed');
  await until(() => passes.get('cls_one')!.length === 2);
  await sleep(100);
  const delayed = (await transport.reconcileQueue.getDelayed()).filter((j) => j.data.clusterId === 'cls_one');
  assert.equal(delayed.length, 1, 'the earlier job was replaced, not joined');
  assert.ok(delayed[0].opts.delay! <= 30_000);

  answers.set('cls_one', {});
  await transport.enqueueReconcile('cls_one', 'timed');
  await until(() => passes.get('cls_one')!.length === 3);
  await sleep(100);
  assert.equal(await delayedJobsOf('cls_one'), 0, 'nothing due: no timer');
});
