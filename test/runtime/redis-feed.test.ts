import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectRedis } from '../../src/platform/redis.ts';
import { redisChangeFeed } from '../../src/platform/redis-feed.ts';
import { randomString } from '../../src/lib/ids.ts';
import type { WatchEvent } from '../../src/kube/types.ts';
import { createTestStore } from '../helpers/store.ts';

const until = async (what: string, ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(ok(), what);
};

test('two processes: a watch sees commits made here once and commits made elsewhere when Redis brings them', async (t) => {
  const prefix = `feedtest-${randomString(6)}`;
  const conns = Array.from({ length: 4 }, () => connectRedis(process.env.REDIS_URL!));
  t.after(() => conns.forEach((c) => c.disconnect()));
  // Two processes writing to one cluster, each with its own store and feed.
  const a = await createTestStore();
  const b = await createTestStore();
  const feedA = redisChangeFeed(a.store, conns[0], conns[1], prefix);
  const feedB = redisChangeFeed(b.store, conns[2], conns[3], prefix);
  t.after(async () => {
    await feedA.close();
    await feedB.close();
  });
  // Both subscriptions reach Redis (a busy machine may take longer than a fixed pause).
  const subscribers = async () => Number(((await conns[0].pubsub('NUMSUB', `${prefix}:changes`)) as [string, number])[1]);
  for (let i = 0; i < 500 && (await subscribers()) < 2; i++) await new Promise((r) => setTimeout(r, 10));

  const seenOnA: WatchEvent[] = [];
  const seenOnB: WatchEvent[] = [];
  const names = (events: WatchEvent[]) => events.map((e) => `${e.type} ${e.object.metadata.name}`);
  const stopA = feedA.subscribe(a.clusterId, (events) => seenOnA.push(...events));
  feedA.subscribe(a.clusterId, () => {
    throw new Error('a broken watcher');
  });
  feedB.subscribe(b.clusterId, (events) => seenOnB.push(...events));

  await a.store.create(a.clusterId, 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-a', namespace: 'default' } });
  assert.deepEqual(names(seenOnA), ['ADDED from-a'], 'delivered at once, in process, despite the broken watcher');
  await until("process B hears of A's commit", () => seenOnB.length === 1);
  assert.deepEqual(names(seenOnB), ['ADDED from-a']);

  await b.store.create(b.clusterId, 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-b', namespace: 'default' } });
  await until("process A hears of B's commit", () => seenOnA.length === 2);
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(names(seenOnA), ['ADDED from-a', 'ADDED from-b'], 'a process does not receive its own commits a second time');
  assert.deepEqual(names(seenOnB), ['ADDED from-a', 'ADDED from-b']);

  stopA();
  await b.store.create(b.clusterId, 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: 'default' } });
  await until('B sees its own commit', () => seenOnB.length === 3);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(seenOnA.length, 2, 'an ended watch hears nothing more');
});

test("another process' commit to a cluster nobody watches here is skipped unparsed", async (t) => {
  const prefix = `feedtest-${randomString(6)}`;
  const [pub, sub, other] = Array.from({ length: 3 }, () => connectRedis(process.env.REDIS_URL!));
  t.after(() => [pub, sub, other].forEach((c) => c.disconnect()));
  const here = await createTestStore();
  const feed = redisChangeFeed(here.store, pub, sub, prefix);
  t.after(() => feed.close());
  for (let i = 0; i < 500 && Number(((await pub.pubsub('NUMSUB', `${prefix}:changes`)) as [string, number])[1]) < 1; i++)
    await new Promise((r) => setTimeout(r, 10));
  const seen: string[] = [];
  feed.subscribe('cls_watched', (events) => seen.push(...events.map((e) => e.object.metadata.name ?? '')));

  // Not JSON past its head: parsing it would throw out of the subscriber.
  await other.publish(`${prefix}:changes`, '{"origin":"elsewhere","clusterId":"cls_unwatched","events":[{"broken');
  const event = {
    type: 'ADDED',
    resource: 'configmaps',
    resourceVersion: 7,
    object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'seen', namespace: 'default' } },
  };
  await other.publish(`${prefix}:changes`, JSON.stringify({ origin: 'elsewhere', clusterId: 'cls_watched', events: [event] }));
  await until('the watched cluster hears of its commit', () => seen.length === 1);
  assert.deepEqual(seen, ['seen']);
});
