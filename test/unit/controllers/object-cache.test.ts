import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectCache } from '../../../src/controllers/shared/object-cache.ts';
import { createTestStore } from '../../helpers/store.ts';

const cm = (name: string, v = '1') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { v } });
const names = (xs: { metadata: { name?: string } }[]) => xs.map((x) => x.metadata.name).sort();

test('the cache follows creates, updates and deletes through the watch log', async () => {
  const { store, clusterId } = await createTestStore();
  const cache = new ObjectCache(store);
  await store.create(clusterId, 'configmaps', cm('a'));
  assert.deepEqual(names(await cache.list(clusterId, 'configmaps')), ['a']);
  const b = await store.create(clusterId, 'configmaps', cm('b'));
  await store.update(clusterId, 'configmaps', { ...b, data: { v: '2' } });
  await store.delete(clusterId, 'configmaps', 'default', 'a');
  await store.create(clusterId, 'secrets', cm('not-a-configmap'));
  const listed = await cache.list(clusterId, 'configmaps');
  assert.deepEqual(names(listed), ['b']);
  assert.deepEqual(listed[0].data, { v: '2' });
  assert.equal(listed[0].metadata.resourceVersion, (await store.mustGet(clusterId, 'configmaps', 'default', 'b')).metadata.resourceVersion);
});

test('after the log is compacted past the cache, it lists again instead of missing changes', async () => {
  const { store, clusterId } = await createTestStore();
  const cache = new ObjectCache(store);
  await store.create(clusterId, 'configmaps', cm('a'));
  await cache.list(clusterId, 'configmaps');
  await store.create(clusterId, 'configmaps', cm('b'));
  await store.delete(clusterId, 'configmaps', 'default', 'a');
  await store.compact(clusterId, await store.currentRevision(clusterId));
  assert.deepEqual(names(await cache.list(clusterId, 'configmaps')), ['b']);
});

test('concurrent readers each see every write committed before their call', async () => {
  const { store, clusterId } = await createTestStore();
  const cache = new ObjectCache(store);
  await cache.list(clusterId, 'configmaps');
  const writes = Array.from({ length: 20 }, (_, i) => store.create(clusterId, 'configmaps', cm(`c${i}`)));
  await Promise.all(writes);
  const [x, y] = await Promise.all([cache.list(clusterId, 'configmaps'), cache.list(clusterId, 'configmaps')]);
  assert.equal(x.length, 20);
  assert.equal(y.length, 20);
});

test('frozen objects make an in-place change throw', async () => {
  const { store, clusterId } = await createTestStore();
  const cache = new ObjectCache(store);
  cache.freezeObjects();
  await store.create(clusterId, 'configmaps', cm('a'));
  const [a] = await cache.list(clusterId, 'configmaps');
  assert.throws(() => {
    (a.data as Record<string, string>).v = 'changed';
  }, TypeError);
});

test('a snapshot is in key order and exact at the revision it reports, also after other resources changed', async () => {
  const { store, clusterId } = await createTestStore();
  const cache = new ObjectCache(store);
  for (const name of ['c', 'a', 'b']) await store.create(clusterId, 'configmaps', cm(name));
  const first = await cache.snapshot(clusterId, 'configmaps');
  assert.deepEqual(
    first.objects.map((o) => o.name),
    ['a', 'b', 'c'],
  );
  assert.equal(first.revision, await store.currentRevision(clusterId));
  await store.create(clusterId, 'secrets', cm('s'));
  await store.delete(clusterId, 'configmaps', 'default', 'b');
  const second = await cache.snapshot(clusterId, 'configmaps');
  assert.equal(second.revision, await store.currentRevision(clusterId));
  assert.deepEqual(
    second.objects.map((o) => o.name),
    ['a', 'c'],
  );
  assert.deepEqual(
    first.objects.map((o) => o.name),
    ['a', 'b', 'c'],
    'an earlier snapshot is not changed under its reader',
  );
  assert.equal(second.objects[0], first.objects[0], 'an unchanged object is the same cached version');
});
