import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestStore } from '../helpers/store.ts';
import { StoreError } from '../../src/store/errors.ts';

const cm = (name: string, data: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });

test('create stamps uid, revision, generation where the kind has one; revisions strictly increase', async () => {
  const { store, clusterId } = await createTestStore();
  const a = await store.create(clusterId, 'configmaps', cm('a'));
  const b = await store.create(clusterId, 'configmaps', cm('b'));
  assert.ok(a.metadata.uid);
  assert.equal(a.metadata.generation, undefined, 'ConfigMaps have no generation upstream');
  const updated = await store.update(clusterId, 'configmaps', { ...a, data: { x: '1' } });
  assert.equal(updated.metadata.generation, undefined);
  const d = await store.create(clusterId, 'deployments.apps', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'default' },
    spec: { replicas: 1 },
  });
  assert.equal(d.metadata.generation, 1);
  assert.ok(Number(b.metadata.resourceVersion) > Number(a.metadata.resourceVersion));
  await assert.rejects(
    store.create(clusterId, 'configmaps', cm('a')),
    (e: StoreError) => e.reason === 'AlreadyExists' && e.message === 'configmaps "a" already exists',
  );
});

test('update with a stale resourceVersion is a Conflict; spec changes bump generation, status does not', async () => {
  const { store, clusterId } = await createTestStore();
  const d = await store.create(clusterId, 'deployments.apps', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'default' },
    spec: { replicas: 1 },
  });
  const d2 = await store.update(clusterId, 'deployments.apps', { ...d, spec: { replicas: 2 } });
  assert.equal(d2.metadata.generation, 2);
  const d3 = await store.update(clusterId, 'deployments.apps', { ...d2, status: { replicas: 2 } });
  assert.equal(d3.metadata.generation, 2);
  await assert.rejects(store.update(clusterId, 'deployments.apps', { ...d, spec: { replicas: 5 } }), (e: StoreError) => e.reason === 'Conflict');
});

test('watch log replays changes after a revision, and compaction makes older revisions Gone', async () => {
  const { store, clusterId } = await createTestStore();
  const a = await store.create(clusterId, 'configmaps', cm('a'));
  await store.update(clusterId, 'configmaps', { ...a, data: { x: '1' } });
  await store.delete(clusterId, 'configmaps', 'default', 'a');
  const events = await store.eventsSince(clusterId, 0, 'configmaps');
  assert.deepEqual(
    events.map((e) => e.type),
    ['ADDED', 'MODIFIED', 'DELETED'],
  );
  await store.compact(clusterId, 2);
  await assert.rejects(store.eventsSince(clusterId, 1), (e: StoreError) => e.reason === 'Gone');
  assert.equal((await store.eventsSince(clusterId, 2)).length, 1);
});

test('shared watch-log reads parse each change once: every reader gets the same object, equal to a private read', async () => {
  const { store, clusterId } = await createTestStore();
  const a = await store.create(clusterId, 'configmaps', cm('a', { k: 'v' }));
  await store.update(clusterId, 'configmaps', { ...a, data: { k: 'w' } });
  const first = await store.sharedEventsSince(clusterId, 0, 'configmaps');
  const second = await store.sharedEventsSince(clusterId, Number(a.metadata.resourceVersion) - 1);
  const own = await store.eventsSince(clusterId, 0, 'configmaps');
  assert.equal(second[0].object, first[0].object, 'one parse shared by both readers');
  assert.equal(second[1].object, first[1].object);
  assert.notEqual(own[0].object, first[0].object, 'eventsSince still gives a private copy');
  assert.deepEqual(first, own);
  assert.deepEqual(
    first.map((e) => (e.object.data as Record<string, string>).k),
    ['v', 'w'],
  );
});

test('a commit returns and logs the object as stored, sharing nothing with the object passed in', async () => {
  const { store, clusterId } = await createTestStore();
  const input = {
    ...cm('a', { k: 'v' }),
    metadata: { name: 'a', namespace: 'default', labels: { app: 'x' }, annotations: { gone: undefined as unknown as string } },
  };
  const created = await store.create(clusterId, 'configmaps', input);
  input.metadata.labels.app = 'changed';
  input.data.k = 'changed';
  assert.equal(created.metadata.labels!.app, 'x');
  assert.equal((created.data as Record<string, string>).k, 'v');
  assert.deepEqual(created, await store.get(clusterId, 'configmaps', 'default', 'a'), 'the answer equals what a read returns');
  const [event] = await store.eventsSince(clusterId, 0, 'configmaps');
  assert.deepEqual(event.object, created);
});

test('list paginates with continue tokens and filters', async () => {
  const { store, clusterId } = await createTestStore();
  for (let i = 0; i < 5; i++) await store.create(clusterId, 'configmaps', cm(`c${i}`));
  const p1 = await store.list(clusterId, 'configmaps', { namespace: 'default', limit: 2 });
  assert.deepEqual(
    p1.items.map((o) => o.metadata.name),
    ['c0', 'c1'],
  );
  const p2 = await store.list(clusterId, 'configmaps', { namespace: 'default', limit: 2, continue: p1.continue });
  assert.deepEqual(
    p2.items.map((o) => o.metadata.name),
    ['c2', 'c3'],
  );
  const odd = await store.list(clusterId, 'configmaps', { filter: (o) => Number(o.metadata.name!.slice(1)) % 2 === 1 });
  assert.deepEqual(
    odd.items.map((o) => o.metadata.name),
    ['c1', 'c3'],
  );
});

test('concurrent writers to one cluster never lose a write', async () => {
  const { store, clusterId } = await createTestStore();
  await Promise.all(Array.from({ length: 50 }, (_, i) => store.create(clusterId, 'configmaps', cm(`p${i}`))));
  const all = await store.list(clusterId, 'configmaps');
  assert.equal(all.items.length, 50);
  assert.equal(new Set(all.items.map((o) => o.metadata.resourceVersion)).size, 50);
});
