import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestStore, ManualClock } from '../helpers/store.ts';
import { ObjectStore } from '../../src/store/objects.ts';
import { StoreError } from '../../src/store/errors.ts';

const pod = (name: string, generateName?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', ...(generateName ? { generateName } : {}) },
  spec: { containers: [{ name: 'c', image: 'x' }] },
});

test('a commit that would store more pods than the bound is Forbidden, worded like a quota refusal', async () => {
  const { store, clusterId } = await createTestStore({ metering: false });
  store.limitPods(async () => 3);
  await store.commit(clusterId, [
    { op: 'create', resource: 'pods', object: pod('a') },
    { op: 'create', resource: 'pods', object: pod('b') },
  ]);
  assert.deepEqual(await store.podRoom(clusterId), { limit: 3, used: 2 });
  await assert.rejects(
    store.commit(clusterId, [
      { op: 'create', resource: 'pods', object: pod('web-x1', 'web-') },
      { op: 'create', resource: 'pods', object: pod('web-x2', 'web-') },
    ]),
    (e: StoreError) =>
      e.reason === 'Forbidden' &&
      e.message === `pods "web-" is forbidden: exceeded the pod limit of this cluster's plan, requested: pods=2, used: pods=2, limited: pods=3`,
  );
  // Nothing of the refused commit is stored; a delete in the same commit makes room.
  assert.equal((await store.podRoom(clusterId))!.used, 2);
  await store.commit(clusterId, [
    { op: 'delete', resource: 'pods', namespace: 'default', name: 'a' },
    { op: 'create', resource: 'pods', object: pod('c') },
    { op: 'create', resource: 'pods', object: pod('d') },
  ]);
  assert.equal((await store.podRoom(clusterId))!.used, 3);
  // Other objects are not bounded by it.
  await store.create(clusterId, 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' } });
});

test('creates racing from two processes never overshoot the bound', async () => {
  const { database, store, clusterId } = await createTestStore({ metering: false });
  // A second store over the same database stands for another process: only the compare-and-swap orders them.
  const other = new ObjectStore(database, new ManualClock());
  for (const s of [store, other]) s.limitPods(async () => 25);
  const results = await Promise.allSettled(
    Array.from({ length: 40 }, (_, i) =>
      (i % 2 ? store : other).commit(clusterId, [
        { op: 'create', resource: 'pods', object: pod(`p-${i}-a`) },
        { op: 'create', resource: 'pods', object: pod(`p-${i}-b`) },
      ]),
    ),
  );
  const refused = results.filter((r) => r.status === 'rejected');
  assert.ok(refused.every((r) => (r as PromiseRejectedResult).reason instanceof StoreError && (r as PromiseRejectedResult).reason.reason === 'Forbidden'));
  const used = (await store.podRoom(clusterId))!.used;
  assert.equal(used, 2 * (40 - refused.length));
  assert.ok(used <= 25 && used >= 24, `stored ${used}`);
});

test('no bound: podRoom is undefined and creates are not counted', async () => {
  const { store, clusterId } = await createTestStore({ metering: false });
  assert.equal(await store.podRoom(clusterId), undefined);
  store.limitPods(async () => undefined);
  await store.create(clusterId, 'pods', pod('a'));
  assert.equal(await store.podRoom(clusterId), undefined);
});
